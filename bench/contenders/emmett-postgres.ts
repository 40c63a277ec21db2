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
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { ACCOUNT_TYPE } from '../domain/account.js';
import {
  evolveAccount,
  initialAccount,
  LOG_STREAM_EVENTS,
  plainEvents,
  untilStopped,
  type AccountState,
  type PeerContender,
  type PeerFactory,
} from '../workloads/peer-contender.js';

const streamName = (id: string): string => `${ACCOUNT_TYPE}-${id}`;

type AccountEvent = { type: 'AccountOpened' | 'MoneyDeposited'; data: Record<string, unknown> };
const events = (from: number, to: number): AccountEvent[] => plainEvents(from, to) as AccountEvent[];

export const openEmmettPostgres: PeerFactory = async (location) => {
  if (location.kind !== 'postgres') throw new Error('emmett-postgresql runs on PostgreSQL locations only');
  const connectionString = location.connectionString;
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();

  const contender: PeerContender = {
    name: 'emmett',
    async appendNew(streamId, count) {
      await store.appendToStream(streamName(streamId), events(1, count), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    },
    async appendAt(streamId, expectedVersion) {
      await store.appendToStream(streamName(streamId), events(expectedVersion + 1, expectedVersion + 1), {
        expectedStreamVersion: BigInt(expectedVersion),
      });
    },
    async readStream(streamId) {
      return (await store.readStream(streamName(streamId))).events.length;
    },
    async rebuild(streamId) {
      const { state } = await store.aggregateStream<AccountState, AccountEvent>(streamName(streamId), {
        evolve: (current: AccountState, event: AccountEvent) => evolveAccount(current, event.type, event.data),
        initialState: initialAccount,
      });
      return state.version;
    },
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
    async seedLog(count) {
      // One writer: Emmett's readMessagesBatch orders by (transaction_id, global_position) and pages by
      // global_position, so a log written by concurrent appenders (sequence values interleaved across
      // transactions) reads back with events skipped (seen with 0.42.0: 1,213 of 2,000 with 4 writers).
      for (let first = 0; first < count; first += LOG_STREAM_EVENTS) {
        const id = `account-${first / LOG_STREAM_EVENTS}`;
        await store.appendToStream(streamName(id), events(1, LOG_STREAM_EVENTS), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
      }
    },
    close: () => store.close(),
  };
  return contender;
};
