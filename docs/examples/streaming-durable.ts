// docs/streaming.md, "Durable subscriptions".
// #region imports
import {
  EventStore,
  isEventualiError,
  type DeadLetterRecord,
  type DurableSubscription,
  type Event,
  type HandlerContext,
} from '../../src/index.js';
import { BankAccount, accountEvents } from './bank-account.js';
import { User, UserEmailChanged, UserRegistered, userEvents } from './user.js';
// #endregion

// #region subscribe
/** Opens a bank account for a registered user, once, even when the event is delivered again. */
export async function openAccount(event: Event, ctx: HandlerContext): Promise<void> {
  if (!UserRegistered.is(event)) return;
  const account = new BankAccount(`account-${event.aggregateId}`);
  account.open(event.data.username);
  try {
    await ctx.save(account); // its events get ctx.metadata: this event's correlation id, and it as cause
  } catch (error) {
    // Delivery is at-least-once: a redelivered event finds the account opened. Nothing to do.
    if (!isEventualiError(error, 'CONCURRENCY_CONFLICT')) throw error;
  }
}

export function openAccounts(store: EventStore): DurableSubscription {
  return store.subscribe({
    id: 'open-accounts', // the checkpoint, lease and dead letters are stored under this id
    eventTypes: [UserRegistered], // definitions (registered with the store) or type names
    handle: openAccount,
  });
}
// #endregion

// #region options
export function auditTrail(store: EventStore, write: (line: string) => Promise<void>): DurableSubscription {
  return store.subscribe({
    id: 'audit-trail',
    from: 'end', // with no stored checkpoint: 'start' (default), 'end', or a position the store returned
    eventTypes: [UserRegistered, UserEmailChanged.type], // default: every type
    aggregateTypes: ['User'], // default: every aggregate type
    batchSize: 100, // events per read (default 100); the checkpoint is stored at most every 250 ms
    retry: { attempts: 3, backoffMs: 100, maxBackoffMs: 5000 }, // the defaults: 100 ms, then 200 ms
    onError: 'dead-letter', // after the last attempt: park the event and go on (default), or 'stop'
    leaseTtlMs: 5000, // another instance takes over this long after this one stops renewing (default)
    pollIntervalMs: 100, // longest wait between two reads while idle (default)
    handle: (event) => write(`${event.timestamp.toISOString()} ${event.aggregateId} ${event.eventType}`),
  });
}
// #endregion

// #region dead-letters
export async function retryParkedEvents(subscription: DurableSubscription): Promise<void> {
  for (const letter of await subscription.listDeadLetters()) {
    // { id, subscriptionId, globalPosition, eventId, eventType, error, attempts, failedAt }
    console.log(`${letter.eventType} at ${letter.globalPosition} failed ${letter.attempts} times: ${letter.error}`);
  }
  // After fixing the cause: one attempt each; the ones handled now leave the dead-letter table.
  const { handled, failed } = await subscription.replayDeadLetters();
  console.log(`${handled} handled, ${failed} still failing`);
}
// #endregion

// #region register
async function register(store: EventStore, id: string): Promise<Event[]> {
  const user = new User(id);
  user.register(`user-${id}`, `${id}@example.com`);
  return store.save(user);
}
// #endregion

// #region start
export async function runOpenAccounts(store: EventStore): Promise<DurableSubscription> {
  await register(store, 'u-1'); // committed before the subscription exists: it catches up on it
  const accounts = openAccounts(store);
  await accounts.start(); // resolves at once; delivery runs in the background
  await register(store, 'u-2'); // followed live
  await accounts.waitUntilCaughtUp(); // for tests and scripts: everything committed so far is handled
  console.log(accounts.state, accounts.position); // 'live', the position of u-2's event
  await accounts.stop(); // after the event in flight; stores the checkpoint, gives up the lease
  return accounts;
}
// #endregion

// #region events
export function welcomeEmails(store: EventStore, refuses: (userId: string) => boolean) {
  const welcome = store.subscribe({
    id: 'welcome-emails',
    eventTypes: [UserRegistered],
    retry: { attempts: 2, backoffMs: 10 },
    handle: (event) => {
      if (refuses(event.aggregateId)) throw new Error('mail server refused');
    },
  });
  const parked: DeadLetterRecord[] = [];
  const failures: string[] = [];
  welcome.on('error', (error, { event, attempt, willRetry }) => {
    failures.push(`${event?.aggregateId ?? 'read'} attempt ${attempt ?? '-'}: ${error.message}${willRetry ? ', will retry' : ''}`);
  });
  welcome.on('dead-letter', (letter) => parked.push(letter));
  welcome.on('caught-up', ({ position }) => console.log(`caught up at ${position}`));
  // Also: 'active', 'inactive', 'fell-behind', 'stopped' (with the reason when a handler stopped it).
  return { welcome, parked, failures };
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  store.register(...userEvents, ...accountEvents);
  try {
    const accounts = await runOpenAccounts(store);
    const [registered] = await store.loadEvents('u-2');
    const [opened] = await store.loadEvents('account-u-2');

    // Every event delivered again (another subscription id, from the start) changes nothing.
    const again = store.subscribe({ id: 'open-accounts-again', eventTypes: [UserRegistered], handle: openAccount });
    const againErrors: Error[] = [];
    again.on('error', (error) => againErrors.push(error));
    await again.start();
    await again.waitUntilCaughtUp();
    await again.stop();

    let failUser = 'u-4';
    const { welcome, parked, failures } = welcomeEmails(store, (id) => id === failUser);
    await welcome.start();
    await register(store, 'u-3');
    await register(store, 'u-4');
    await register(store, 'u-5');
    await welcome.waitUntilCaughtUp();
    const lettersBefore = (await welcome.listDeadLetters()).map((l) => `${l.eventType} ${l.attempts} ${l.error}`);
    failUser = 'none'; // the cause is fixed
    await retryParkedEvents(welcome);
    const lettersAfter = await welcome.listDeadLetters();
    await welcome.stop();

    return {
      state: accounts.state,
      metadata: {
        // The registration carried no correlation id, so its own id became the correlation id.
        correlatedToRegistration: opened?.metadata.correlationId === registered?.eventId,
        causedByRegistration: opened?.metadata.causationId === registered?.eventId,
      },
      againErrors: againErrors.length,
      accounts: [await store.getAggregateVersion('account-u-1'), await store.getAggregateVersion('account-u-2')],
      failures,
      parked: parked.map((l) => l.eventId),
      lettersBefore,
      lettersAfter: lettersAfter.length,
    };
  } finally {
    await store.close();
  }
}
