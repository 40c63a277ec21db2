// docs/streaming.md, "Running several instances".
// #region imports
import { EventStore, type DurableSubscription } from '../../src/index.js';
import { User, UserRegistered, userEvents } from './user.js';
// #endregion

// #region instance
/** What every instance of the service runs: the same subscription id on the same database. */
export async function startInstance(url: string, name: string, handled: string[]) {
  const store = await EventStore.create(url);
  store.register(...userEvents);
  const subscription: DurableSubscription = store.subscribe({
    id: 'user-directory',
    eventTypes: [UserRegistered],
    leaseTtlMs: 1000, // a dead holder is replaced within about 1.25 s (default 5000: about 6.25 s)
    handle: (event) => void handled.push(`${name}:${event.aggregateId}`),
  });
  subscription.on('active', () => console.log(`${name} delivers`));
  subscription.on('inactive', () => console.log(`${name} waits`));
  await subscription.start(); // only one instance holds the lease; the others wait for it
  return { store, subscription };
}
// #endregion

// #region helpers
export async function register(store: EventStore, id: string): Promise<void> {
  const user = new User(id);
  user.register(`user-${id}`, `${id}@example.com`);
  await store.save(user);
}

export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
// #endregion

// #region takeover
type Instance = Awaited<ReturnType<typeof startInstance>>;

export async function takeOver(a: Instance, b: Instance): Promise<void> {
  await a.store.close(); // stops `a`'s subscription: checkpoint stored, lease given up
  await register(b.store, 'u-2');
  await until(() => b.subscription.isActive); // `b` takes the lease at its next try
  await b.subscription.waitUntilCaughtUp(); // and goes on from `a`'s checkpoint
}
// #endregion

/** `path`: a SQLite file both "processes" open. */
export async function main(path: string) {
  const url = `sqlite://${path}`;
  const handled: string[] = [];
  const a = await startInstance(url, 'a', handled);
  await until(() => a.subscription.isActive);
  const b = await startInstance(url, 'b', handled);
  await register(a.store, 'u-1');
  await a.subscription.waitUntilCaughtUp();
  const bActiveWhileAIs = b.subscription.isActive;

  await takeOver(a, b);
  await b.store.close();
  return { handled, bActiveWhileAIs, bState: b.subscription.state };
}
