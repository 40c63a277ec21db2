// docs/streaming.md, "Consumer groups".
// #region imports
import { EventStore, type ConsumerGroup } from '../../src/index.js';
import { UserRegistered, userEvents } from './user.js';
// #endregion
import { register, until } from './streaming-instances.js';

// #region group
/** What every instance of the mailer runs: the same group id and partition count on one database. */
export async function startMailer(url: string, name: string, sent: string[]) {
  const store = await EventStore.create(url);
  store.register(...userEvents);
  const mailer: ConsumerGroup = store.subscribe({
    id: 'welcome-mails',
    partitions: 4, // fixed for the life of the group: every instance passes the same number
    eventTypes: [UserRegistered],
    leaseTtlMs: 1000, // a dead instance's partitions move on within about 1.5 s
    handle: async (event) => {
      sent.push(`${name}:${event.aggregateId}`); // one user's events: always one instance, in order
    },
  });
  mailer.on('partitions', (owned) => console.log(`${name} handles partitions ${owned.join(', ')}`));
  await mailer.start();
  return { store, mailer };
}
// #endregion

// #region bounded
/** A mailer process that sends at most 2 mails at a time, whatever its share of the 8 partitions. */
export function boundedMailer(store: EventStore, sendMail: (userId: string) => Promise<void>): ConsumerGroup {
  return store.subscribe({
    id: 'welcome-mails-bounded',
    partitions: 8,
    partitionConcurrency: 2, // 1 instance: 2 handlers at once; 2 instances: 4; 4 instances: all 8
    eventTypes: [UserRegistered],
    handle: (event) => sendMail(event.aggregateId),
  });
}
// #endregion

/** `path`: a SQLite file both "processes" open. */
export async function main(path: string) {
  const url = `sqlite://${path}`;
  const sent: string[] = [];
  const a = await startMailer(url, 'a', sent);
  await until(() => a.mailer.partitions.length === 4);
  const b = await startMailer(url, 'b', sent);
  // Within a tick or two (leaseTtlMs / 4 each), `a` gives two partitions up and `b` takes them.
  await until(() => a.mailer.partitions.length === 2 && b.mailer.partitions.length === 2);
  const shared = [...a.mailer.partitions, ...b.mailer.partitions].sort();
  for (let i = 0; i < 20; i++) await register(a.store, `u-${i}`);
  await until(() => sent.length === 20);
  const bothSent = sent.some((s) => s.startsWith('a:')) && sent.some((s) => s.startsWith('b:'));
  await b.store.close(); // b's partitions go back to a
  await until(() => a.mailer.partitions.length === 4);
  // The bounded mailer over the same 20 users: never more than 2 mails in flight.
  let inFlight = 0;
  let mostInFlight = 0;
  const bounded = boundedMailer(a.store, async () => {
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight--;
  });
  await bounded.start();
  await bounded.waitUntilCaughtUp();
  await a.store.close();
  return { shared, sent: sent.length, bothSent, mostInFlight };
}
