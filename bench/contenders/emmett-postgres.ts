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
import type { Contender, ContenderFactory } from './contender.js';
import { pulling, readAllWith, runConsumer, streamMethods, type AccountEvent } from './emmett-streams.js';

export const openEmmettPostgres: ContenderFactory = async (location) => {
  if (location.kind !== 'postgres') throw new Error('emmett-postgresql runs on PostgreSQL locations only');
  const connectionString = location.connectionString;
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();

  const contender: Contender = {
    name: 'emmett',
    ...streamMethods(store),
    readAll: readAllWith(() => {
      const pool = dumbo({ connectionString });
      return { read: (after, batchSize) => readMessagesBatch<AccountEvent>(pool.execute, { after, batchSize }), close: () => pool.close() };
    }),
    async catchUp(consumerId, total, batchSize) {
      let seen = 0;
      // stopWhen.noMessagesLeft: the consumer stops once it has read to the end of the log.
      const consumer = store.consumer<AccountEvent>({ pulling: pulling(batchSize), stopWhen: { noMessagesLeft: true } });
      consumer.reactor<AccountEvent>({
        processorId: consumerId,
        startFrom: 'BEGINNING',
        eachMessage: () => void seen++,
        stopAfter: () => seen >= total,
      });
      return runConsumer(consumer, () => seen, total);
    },
    close: () => store.close(),
  };
  return contender;
};
