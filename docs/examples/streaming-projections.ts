// docs/streaming.md, "Projections".
// #region imports
import { EventStore, defineProjection, type ProjectionRunner } from '../../src/index.js';
import { User, UserEmailChanged, UserRegistered, UserRuleError, userEvents } from './user.js';
// #endregion

// #region define
/** A read model in the store's own database: user id → current email. */
export const userEmails = defineProjection({
  name: 'user-emails', // its checkpoint and lease are stored under this name
  events: [UserRegistered, UserEmailChanged],
  // In a transaction, each time an instance becomes active, before it reads.
  setup: ({ query }) => query('CREATE TABLE IF NOT EXISTS user_emails (user_id TEXT PRIMARY KEY, email TEXT NOT NULL)'),
  // In the transaction of rebuild() that rewinds the checkpoint.
  reset: ({ query }) => query('DELETE FROM user_emails'),
  handlers: {
    // `query` runs in the transaction that also stores the checkpoint: a plain INSERT is safe,
    // since an event whose transaction committed is never applied again.
    UserRegistered: (event, { query }) =>
      query('INSERT INTO user_emails (user_id, email) VALUES (?, ?)', [event.aggregateId, event.data.email]),
    UserEmailChanged: (event, { query }) =>
      query('UPDATE user_emails SET email = ? WHERE user_id = ?', [event.data.newEmail, event.aggregateId]),
  },
});
// #endregion

// #region read
export async function emailOf(store: EventStore, userId: string): Promise<string | undefined> {
  // Read the table with any connection to the database; here, a transaction of the store.
  const rows = await store.transaction((tx) =>
    tx.query<{ email: string }>('SELECT email FROM user_emails WHERE user_id = ?', [userId]),
  );
  return rows[0]?.email;
}
// #endregion

// #region inline
/** Registered usernames, written in the same transaction as each registration. */
export const usernames = defineProjection({
  name: 'usernames',
  events: [UserRegistered],
  setup: ({ query }) => query('CREATE TABLE IF NOT EXISTS usernames (username TEXT PRIMARY KEY, user_id TEXT NOT NULL)'),
  handlers: {
    UserRegistered: async (event, { query }) => {
      const taken = await query('SELECT 1 FROM usernames WHERE username = ?', [event.data.username]);
      // Throwing rolls the save back: the registration is not stored.
      if (taken.length > 0) throw new UserRuleError(`Username ${event.data.username} is taken`);
      await query('INSERT INTO usernames (username, user_id) VALUES (?, ?)', [event.data.username, event.aggregateId]);
    },
  },
});

export function enforceUniqueUsernames(store: EventStore): void {
  // Runs usernames.setup (in a transaction of its own; saves wait for it), then, from now on,
  // the handlers inside every save of this store.
  store.addInlineProjection(usernames);
}
// #endregion

async function register(store: EventStore, id: string, username = `user-${id}`): Promise<void> {
  const user = new User(id);
  user.register(username, `${id}@example.com`);
  await store.save(user);
}

// #region run
export async function runUserEmails(store: EventStore): Promise<ProjectionRunner> {
  const runner = store.projection(userEmails, { batchSize: 500 }); // subscription options
  await runner.start();
  await store.update(User, 'u-2', (user) => user.changeEmail('two@example.com'));
  await runner.waitUntilCaughtUp();
  return runner;
}
// #endregion

// #region rebuild
export async function rebuildUserEmails(runner: ProjectionRunner): Promise<void> {
  await runner.rebuild(); // stop, reset() and rewind in one transaction, start again, replay everything
  await runner.waitUntilCaughtUp();
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  store.register(...userEvents);
  try {
    await register(store, 'u-1');
    await register(store, 'u-2');

    const runner = await runUserEmails(store);
    const before = [await emailOf(store, 'u-1'), await emailOf(store, 'u-2')];

    await rebuildUserEmails(runner);
    const after = [await emailOf(store, 'u-1'), await emailOf(store, 'u-2')];
    const atEnd = runner.position === (await store.getGlobalPosition());
    await runner.stop();

    enforceUniqueUsernames(store);
    await register(store, 'u-3', 'carol');
    const refused = await register(store, 'u-4', 'carol').catch((error: unknown) => error);
    return {
      before,
      after,
      atEnd,
      refused: refused instanceof UserRuleError,
      u4Stored: (await store.getAggregateVersion('u-4')) > 0,
    };
  } finally {
    await store.close();
  }
}
