// docs/streaming.md, "Live subscriptions: EventStreamer".
// #region imports
import { EventStore, EventStreamer, StreamOverflowError, type OverflowNotice, type Receiver } from '../../src/index.js';
import { User, UserRegistered, userEvents } from './user.js';
// #endregion

// #region store-with-streamer
export async function openWithStreamer(url: string): Promise<{ store: EventStore; streamer: EventStreamer }> {
  const streamer = new EventStreamer({ capacity: 1000 }); // each subscription's buffer (default 1000)
  // The store publishes every event it commits to the streamer, after the commit, in commit order.
  const store = await EventStore.create(url, {
    streamer,
    // A publish that fails (a closed streamer, a throwing listener) does not fail the save: the
    // events are stored. It is reported here.
    onWarning: (message, error) => console.warn(`eventuali: ${message}`, error),
  });
  store.register(...userEvents);
  return { store, streamer };
}
// #endregion

// #region receiver
/** Sends a welcome email for each registration this process commits; ends when the subscription closes. */
export async function sendWelcomeEmails(streamer: EventStreamer, send: (email: string) => Promise<void>): Promise<void> {
  const receiver = streamer.subscribe({
    id: 'welcome-emails', // unique among the streamer's live subscriptions
    eventTypeFilter: UserRegistered.type, // a type or a list of them; also aggregateTypeFilter
  });
  for await (const { event } of receiver) {
    if (UserRegistered.is(event)) await send(event.data.email); // the next event waits for this one
  }
}
// #endregion

// #region register
async function register(store: EventStore, ...ids: string[]): Promise<void> {
  for (const id of ids) {
    const user = new User(id);
    user.register(`user-${id}`, `${id}@example.com`);
    await store.save(user);
  }
}
// #endregion

// #region backpressure
export async function fillTheBuffer(url: string) {
  const slowStreamer = new EventStreamer({ capacity: 1 });
  const slowStore = await EventStore.create(url, { streamer: slowStreamer });
  const slow = slowStreamer.subscribe({ id: 'slow' }); // overflow: 'wait' is the default
  await register(slowStore, 'u-3'); // its event fills the buffer
  const saving = register(slowStore, 'u-4'); // commits, then waits to publish: the buffer is full
  return { slowStreamer, slowStore, slow, saving };
}
// #endregion

// #region backpressure-read
export async function readOne(slow: Receiver, saving: Promise<void>): Promise<void> {
  await slow.next(); // reading frees a slot: the held event moves in, and the save resolves
  await saving;
}
// #endregion

// #region overflow
export async function overflowPolicies(url: string) {
  const lossy = new EventStreamer({ capacity: 2 });
  const dashboard = lossy.subscribe({ id: 'dashboard', overflow: 'drop-oldest' }); // keeps the newest 2
  const mailer = lossy.subscribe({ id: 'mailer', overflow: 'error', capacity: 1 }); // fails when full
  const notices: OverflowNotice[] = [];
  lossy.on('overflow', (notice) => notices.push(notice)); // one per dropped event
  const lossyStore = await EventStore.create(url, { streamer: lossy });
  await register(lossyStore, 'u-5', 'u-6', 'u-7'); // never waits: no subscription uses 'wait'

  const mailed: string[] = [];
  let overflowed: StreamOverflowError | undefined;
  try {
    for await (const { event } of mailer) mailed.push(event.aggregateId); // what it buffered: u-5 …
  } catch (error) {
    if (!(error instanceof StreamOverflowError)) throw error;
    overflowed = error; // … then the gap is reported: resynchronise from the store
  }
  return { lossy, dashboard, lossyStore, mailed, overflowed, notices };
}
// #endregion

// #region stats
export function streamerStats(lossy: EventStreamer) {
  const { subscriptions, totals } = lossy.stats();
  // subscriptions: one entry per live subscription:
  //   { id, state, buffered, waiting, capacity, overflow, delivered, dropped, discarded }
  // totals: { subscriptions, published, buffered, waiting, delivered, dropped, discarded }
  const dashboardStats = subscriptions.find((s) => s.id === 'dashboard');
  return { totals, dashboardStats };
}
// #endregion

export async function main(url = 'memory:') {
  // A receiver in a for await loop.
  const { store, streamer } = await openWithStreamer(url);
  const sent: string[] = [];
  let allSent!: () => void;
  const twoSent = new Promise<void>((resolve) => (allSent = resolve));
  const loop = sendWelcomeEmails(streamer, async (email) => {
    sent.push(email);
    if (sent.length === 2) allSent();
  });
  await register(store, 'u-1', 'u-2');
  await twoSent;
  streamer.unsubscribe('welcome-emails'); // ends the loop
  await loop;
  await store.close();

  const { slowStreamer, slowStore, slow, saving } = await fillTheBuffer(url);
  let saved = false;
  void saving.then(() => (saved = true));
  while (slowStreamer.stats().totals.waiting === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const waiting = slowStreamer.stats().totals.waiting;
  const savedBeforeRead = saved;
  await readOne(slow, saving);
  slow.close();
  await slowStore.close();

  const { lossy, dashboard, lossyStore, mailed, overflowed, notices } = await overflowPolicies(url);
  const { totals, dashboardStats } = streamerStats(lossy);
  dashboard.close(); // discards what it still buffers, counted in `discarded`
  await lossyStore.close();
  return {
    sent,
    backpressure: { waiting, savedBeforeRead, savedAfterRead: saved },
    mailed,
    overflowCode: overflowed?.code,
    dashboard: dashboardStats && { buffered: dashboardStats.buffered, dropped: dashboardStats.dropped },
    notices: notices.map((n) => `${n.subscriptionId}:${n.policy}:${n.dropped.event.aggregateId}`),
    totals: { published: totals.published, dropped: totals.dropped, delivered: totals.delivered },
    discarded: lossy.stats().totals.discarded,
  };
}
