/**
 * What both Emmett contenders do the same way, on either database: appends, stream reads, rebuilds
 * and the seeding of the log, through the event store API Emmett's SQLite and PostgreSQL stores
 * share (`appendToStream`, `readStream`, `aggregateStream`). Bench-only, like the contenders (not in
 * the main typecheck: it imports bench/node_modules).
 */
import { STREAM_DOES_NOT_EXIST, type EventStore } from '@event-driven-io/emmett';
import { ACCOUNT_TYPE } from '../domain/account.js';
import { evolveAccount, initialAccount, LOG_STREAM_EVENTS, plainEvents, type AccountState, type PeerContender } from '../workloads/peer-contender.js';

/** Emmett takes the stream type from the name's prefix before the first `-`. */
export const streamName = (id: string): string => `${ACCOUNT_TYPE}-${id}`;

export type AccountEvent = { type: 'AccountOpened' | 'MoneyDeposited'; data: Record<string, unknown> };
const events = (from: number, to: number): AccountEvent[] => plainEvents(from, to) as AccountEvent[];

export function streamMethods(store: EventStore): Pick<PeerContender, 'appendNew' | 'appendAt' | 'readStream' | 'rebuild' | 'seedLog'> {
  return {
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
    // One writer: Emmett's PostgreSQL readMessagesBatch orders by (transaction_id, global_position)
    // and pages by global_position, so a log written by concurrent appenders (sequence values
    // interleaved across transactions) reads back with events skipped (seen with 0.42.0: 1,213 of
    // 2,000 with 4 writers).
    async seedLog(count) {
      for (let first = 0; first < count; first += LOG_STREAM_EVENTS) {
        const id = `account-${first / LOG_STREAM_EVENTS}`;
        await store.appendToStream(streamName(id), events(1, LOG_STREAM_EVENTS), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
      }
    },
  };
}
