// One of several instances of one durable subscription: the handler records each event it
// handles (with this instance's owner) in a table; reports becoming active or inactive. Runs
// until the parent kills it with SIGKILL.
import { EventStore } from '../../../src/index.js';
import { exitWithParent, report } from './child.js';
import { TORTURE_EVENTS } from './events.js';
import { sqlFor } from './targets.js';

exitWithParent();
const [url, subscriptionId, leaseTtlMs, table] = process.argv.slice(2) as [string, string, string, string];
const sql = sqlFor(url.startsWith('sqlite') ? 'sqlite-file' : 'postgres');
const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
const sub = store.subscribe({
  id: subscriptionId,
  aggregateTypes: ['Failover'],
  batchSize: 10,
  pollIntervalMs: 50,
  leaseTtlMs: Number(leaseTtlMs),
  handle: async (event) => {
    await store.transaction((tx) => tx.query(sql(`INSERT INTO ${table} (event_id, owner) VALUES (?, ?)`), [event.eventId, sub.owner]));
  },
});
sub.on('active', () => void report({ kind: 'active', owner: sub.owner }));
sub.on('inactive', () => void report({ kind: 'inactive', owner: sub.owner }));
await sub.start();
await report({ kind: 'started', owner: sub.owner });
