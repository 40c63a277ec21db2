// docs/event-store.md, "Reading the global log".
// #region imports
import { EventStore, type Event } from '../../src/index.js';
import { User, UserEmailChanged, UserRegistered, userEvents } from './user.js';
// #endregion

// #region catch-up
/** Hands every event after `from` to `handle`, in log order; returns the position to resume from. */
export async function catchUp(
  store: EventStore,
  from: bigint,
  handle: (event: Event) => Promise<void> | void,
): Promise<bigint> {
  let position = from; // 0n: from the start
  for (;;) {
    const page = await store.readAll({ fromPosition: position, limit: 500 });
    if (page.length === 0) return position; // caught up
    for (const event of page) {
      await handle(event);
      // Resume after the last event handled. Store it with what `handle` wrote to resume
      // after a restart; never compute a position (no +1, no comparing).
      position = event.globalPosition;
    }
  }
}
// #endregion

// #region filters
export async function emailChangesSince(store: EventStore, position: bigint): Promise<Event[]> {
  return store.readAll({
    fromPosition: position,
    eventTypes: [UserEmailChanged.type], // only these event types …
    aggregateTypes: ['User'], // … of these aggregate types
    limit: 100, // default 1000
  });
}
// #endregion

// #region projection
export async function buildEmailIndex(store: EventStore): Promise<Map<string, string>> {
  const emailByUser = new Map<string, string>();
  await catchUp(store, 0n, (event) => {
    if (UserRegistered.is(event)) emailByUser.set(event.aggregateId, event.data.email);
    if (UserEmailChanged.is(event)) emailByUser.set(event.aggregateId, event.data.newEmail);
  });
  return emailByUser;
}
// #endregion

// #region start-from-now
export async function changesFromNow(store: EventStore): Promise<Event[]> {
  const now = await store.getGlobalPosition(); // the last visible position: a valid fromPosition
  await store.update(User, 'u-2', (user) => user.changeEmail('second@example.com'));
  return emailChangesSince(store, now); // only the change made after `now`
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  store.register(...userEvents);
  try {
    for (let i = 1; i <= 3; i++) {
      const user = new User(`u-${i}`);
      user.register(`user${i}`, `user${i}@example.com`);
      await store.save(user);
    }
    const changes = await changesFromNow(store);
    let count = 0;
    const last = await catchUp(store, 0n, () => void count++);
    return {
      count,
      lastIsGlobalPosition: last === (await store.getGlobalPosition()),
      changes: changes.map((event) => event.aggregateId),
      index: Object.fromEntries(await buildEmailIndex(store)),
    };
  } finally {
    await store.close();
  }
}
