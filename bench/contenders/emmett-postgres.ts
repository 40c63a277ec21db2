/**
 * Emmett's PostgreSQL event store (`@event-driven-io/emmett-postgresql`, bench-only dependency in
 * bench/package.json) in the peer comparison, used as its docs show:
 *   getPostgreSQLEventStore(connectionString)  (Dumbo over a pg.Pool; pg's default of 10 connections)
 *   appendToStream(name, events, { expectedStreamVersion }), readStream(name),
 *   aggregateStream(name, { evolve, initialState }), consumer({ pulling }).reactor({ eachMessage }).
 * Reading the whole log uses the package's exported `readMessagesBatch` (what its consumer pages
 * with) on a Dumbo pool of its own: the store object has no read-all method. Emmett creates its own
 * tables (emt_streams, emt_messages, …) in the database it is given, which is its own.
 *
 * Not in the main typecheck (tsconfig.json excludes bench/contenders/emmett-*.ts): it imports
 * bench/node_modules, which `npm ci` does not install. pg itself resolves from the main
 * node_modules (bench/package.json installs with --legacy-peer-deps), so Emmett, eventuali and the
 * raw contender use the same pg.
 */
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { untilStopped, type PeerContender, type PeerFactory } from '../workloads/peer-contender.js';
import { streamMethods, type AccountEvent } from './emmett-streams.js';

export const openEmmettPostgres: PeerFactory = async (location) => {
  if (location.kind !== 'postgres') throw new Error('emmett-postgresql runs on PostgreSQL locations only');
  const connectionString = location.connectionString;
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();

  const contender: PeerContender = {
    name: 'emmett',
    ...streamMethods(store),
    async readAll(pageSize) {
      const pool = dumbo({ connectionString });
      try {
        let read = 0;
        let after = 0n;
        for (;;) {
          const batch = await readMessagesBatch<AccountEvent>(pool.execute, { after, batchSize: pageSize });
          read += batch.messages.length;
          if (!batch.areMessagesLeft) return read;
          after = batch.currentGlobalPosition;
        }
      } finally {
        await pool.close();
      }
    },
    async catchUp(consumerId, total, batchSize) {
      let seen = 0;
      // pullingFrequencyInMs 0: no sleep between full batches (the default, 50 ms, caps a consumer
      // at 2,000 events/s with batches of 100); the puller still yields to a timer between batches.
      // stopWhen.noMessagesLeft: the consumer stops once it has read to the end of the log.
      const consumer = store.consumer<AccountEvent>({ pulling: { batchSize, pullingFrequencyInMs: 0 }, stopWhen: { noMessagesLeft: true } });
      consumer.reactor<AccountEvent>({
        processorId: consumerId,
        startFrom: 'BEGINNING',
        eachMessage: () => void seen++,
        stopAfter: () => seen >= total,
      });
      await untilStopped(consumer.start(), () => seen, () => consumer.stop());
      await consumer.stop();
      if (seen < total) throw new Error(`Emmett consumer handled ${seen} of ${total} events`);
      return seen;
    },
    close: () => store.close(),
  };
  return contender;
};
