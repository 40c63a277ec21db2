/**
 * What both Emmett contenders do the same way, on either database: appends, stream reads, rebuilds,
 * the seeding of the log, paging through it and running a consumer, through the event store API
 * Emmett's SQLite and PostgreSQL stores share (`appendToStream`, `readStream`, `aggregateStream`).
 * Bench-only, like the contenders (not in the main typecheck: it imports bench/node_modules).
 */
import { STREAM_DOES_NOT_EXIST, type EventStore } from '@event-driven-io/emmett';
import { ACCOUNT_TYPE, evolveAccount, initialAccount, plainEvents, type AccountState } from '../domain/account.js';
import { EVENTS_PER_AGGREGATE } from '../lib/seed-log.js';
import { chunks, type Contender } from './contender.js';

/** Emmett takes the stream type from the name's prefix before the first `-`. */
export const streamName = (id: string): string => `${ACCOUNT_TYPE}-${id}`;

export type AccountEvent = { type: 'AccountOpened' | 'MoneyDeposited'; data: Record<string, unknown> };
const events = (from: number, to: number): AccountEvent[] => plainEvents(from, to) as AccountEvent[];

type StreamMethods = Pick<Contender, 'saveNew' | 'seedStream' | 'loadAggregate' | 'appendNew' | 'appendAt' | 'readStream' | 'rebuild' | 'seedLog'>;

export function streamMethods(store: EventStore): StreamMethods {
  const appendNew = async (streamId: string, count: number): Promise<void> => {
    await store.appendToStream(streamName(streamId), events(1, count), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
  };
  const rebuild = async (streamId: string): Promise<number> => {
    const { state } = await store.aggregateStream<AccountState, AccountEvent>(streamName(streamId), {
      evolve: (current: AccountState, event: AccountEvent) => evolveAccount(current, event.type, event.data),
      initialState: initialAccount,
    });
    return state.version;
  };
  return {
    saveNew: appendNew,
    async seedStream(streamId, eventCount, chunkSize) {
      for (const [from, to] of chunks(eventCount, chunkSize)) {
        await store.appendToStream(streamName(streamId), events(from, to), {
          expectedStreamVersion: from === 1 ? STREAM_DOES_NOT_EXIST : BigInt(from - 1),
        });
      }
    },
    loadAggregate: rebuild,
    appendNew,
    async appendAt(streamId, expectedVersion) {
      await store.appendToStream(streamName(streamId), events(expectedVersion + 1, expectedVersion + 1), {
        expectedStreamVersion: BigInt(expectedVersion),
      });
    },
    async readStream(streamId) {
      return (await store.readStream(streamName(streamId))).events.length;
    },
    rebuild,
    // One writer: Emmett's PostgreSQL readMessagesBatch orders by (transaction_id, global_position)
    // and pages by global_position, so a log written by concurrent appenders (sequence values
    // interleaved across transactions) reads back with events skipped (seen with 0.42.0: 1,213 of
    // 2,000 with 4 writers).
    async seedLog(count) {
      for (let first = 0; first < count; first += EVENTS_PER_AGGREGATE) {
        await appendNew(`account-${first / EVENTS_PER_AGGREGATE}`, EVENTS_PER_AGGREGATE);
      }
    },
  };
}

/** One answer of `readMessagesBatch`, as both stores give it (the flag that says more is left differs in name). */
interface MessagesBatch {
  messages: readonly unknown[];
  currentGlobalPosition: bigint;
  areMessagesLeft?: boolean;
  areEventsLeft?: boolean;
}

/** A connection of its own to page through the log with the package's exported `readMessagesBatch`. */
export interface LogReader {
  read(after: bigint, batchSize: number): Promise<MessagesBatch>;
  close(): unknown;
}

/** The `readAll` of a contender: a LogReader opened per pass, paged from the start to the end of the log. */
export function readAllWith(open: () => LogReader): Contender['readAll'] {
  return async (pageSize) => {
    const log = open();
    try {
      let read = 0;
      let after = 0n;
      for (;;) {
        const batch = await log.read(after, pageSize);
        read += batch.messages.length;
        if (!(batch.areMessagesLeft ?? batch.areEventsLeft)) return read;
        after = batch.currentGlobalPosition;
      }
    } finally {
      await log.close();
    }
  };
}

/**
 * The pulling options of both consumers. pullingFrequencyInMs 0: no sleep between full batches
 * (the default, 50 ms, caps a consumer at 2,000 events/s with batches of 100); the puller still
 * yields to a timer between batches.
 */
export const pulling = (batchSize: number): { batchSize: number; pullingFrequencyInMs: number } => ({ batchSize, pullingFrequencyInMs: 0 });

/** A consumer that makes no progress for this long has stalled: the pass fails instead of hanging. */
const STALL_MS = 30_000;

/** Waits for a consumer's `start()`; stops it and throws when its count stalls for STALL_MS. */
async function untilStopped(started: Promise<void>, count: () => number, stop: () => Promise<void>): Promise<void> {
  let last = -1;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (count() !== last) {
        last = count();
        return;
      }
      stop().catch(() => {});
      reject(new Error(`the consumer stalled at ${count()} events for ${STALL_MS / 1000} s`));
    }, STALL_MS);
  });
  try {
    await Promise.race([started, stalled]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs a consumer whose processor counts into `seen` until it stops (its `start()` resolves when
 * the processor stops) or stalls; returns how many events it handled, and throws below `total`.
 */
export async function runConsumer(consumer: { start(): Promise<void>; stop(): Promise<void> }, seen: () => number, total: number): Promise<number> {
  await untilStopped(consumer.start(), seen, () => consumer.stop());
  await consumer.stop();
  if (seen() < total) throw new Error(`Emmett consumer handled ${seen()} of ${total} events`);
  return seen();
}
