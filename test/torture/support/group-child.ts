// One instance of two consumer groups on one store: a subscription that records each event it
// handles (with its owner and partition) in a table, and a read model counting each aggregate's
// events in order. Reports what partitions it owns every few milliseconds (timestamped, so the
// parent can check no two instances claim one partition at once), and stops cleanly on 'stop'.
// An optional last argument bounds how many partitions it handles at once (partitionConcurrency).
import { EventStore } from '../../../src/index.js';
import { exitWithParent, report } from './child.js';
import { TORTURE_EVENTS } from './events.js';
import { perAggregate } from './group-model.js';
import { sqlFor } from './targets.js';

exitWithParent();
const [url, groupId, table, leaseTtlMs, partitions, modelName, bound] = process.argv.slice(2) as [string, string, string, string, string, string, string?];
const sql = sqlFor(url.startsWith('sqlite') ? 'sqlite-file' : 'postgres');
const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);

// `bound`: this instance handles at most that many of its partitions at a time (partitionConcurrency).
const limit = bound ? { partitionConcurrency: Number(bound) } : {};
const common = { partitions: Number(partitions), leaseTtlMs: Number(leaseTtlMs), pollIntervalMs: 20, batchSize: 100, ...limit };
const group = store.subscribe({
  id: groupId,
  aggregateTypes: ['GroupTorture'],
  ...common,
  handle: async (event, ctx) => {
    await store.transaction((tx) =>
      tx.query(sql(`INSERT INTO ${table} (event_id, aggregate_id, version, owner, part) VALUES (?, ?, ?, ?, ?)`), [
        event.eventId,
        event.aggregateId,
        event.aggregateVersion,
        group.owner,
        ctx.subscriptionId,
      ]),
    );
  },
});
const model = store.projection(perAggregate(modelName), common);

const sample = setInterval(() => {
  process.send?.({ kind: 'sample', owner: group.owner, at: Date.now(), subscription: group.partitions, model: model.partitions.map((k) => k) });
}, 5);
process.on('message', (message) => {
  if (message !== 'stop') return;
  void (async () => {
    clearInterval(sample);
    await Promise.all([group.stop(), model.stop()]);
    await report({ kind: 'sample', owner: group.owner, at: Date.now(), subscription: [], model: [] });
    await store.close();
    process.exit(0);
  })();
});
await Promise.all([group.start(), model.start()]);
await report({ kind: 'started', owner: group.owner });
