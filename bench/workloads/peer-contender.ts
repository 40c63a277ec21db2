/**
 * What the peer comparison (issue #5: eventuali against Emmett and the raw driver) asks of each
 * contender. Every contender writes the same events (bench/domain/account.ts: an opening, then
 * deposits) into its own fresh database, each through its own public API as its docs show it.
 */
import { depositData, eventAt, openedData } from '../domain/account.js';
import type { Location } from '../lib/targets.js';

export interface PeerContender {
  /** Column name: `eventuali`, `emmett`, `raw`. */
  readonly name: string;
  /** Appends `count` events (an opening, then deposits) to a stream that must not exist yet. */
  appendNew(streamId: string, count: number): Promise<void>;
  /** Appends one deposit to a stream that must be at `expectedVersion` (events so far). */
  appendAt(streamId: string, expectedVersion: number): Promise<void>;
  /** Reads a stream's events in order, decoding each; returns how many. */
  readStream(streamId: string): Promise<number>;
  /** Rebuilds an account's state from its stream; returns the version it reached. */
  rebuild(streamId: string): Promise<number>;
  /** Reads the whole log from the start in pages of `pageSize`, decoding each event; returns how many. */
  readAll(pageSize: number): Promise<number>;
  /**
   * Runs a new durable consumer (its own checkpoint) from the start of the log, in batches of
   * `batchSize`, with a handler that counts, until it has handled `total` events; returns how many.
   */
  catchUp(consumerId: string, total: number, batchSize: number): Promise<number>;
  /** Setup, not timed: the log of `events` events as streams `account-0` … of 1,000 events each. */
  seedLog(events: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a contender on a fresh database. */
export type PeerFactory = (location: Location) => Promise<PeerContender>;

/** An account's state as the functional contenders fold it (Emmett's `evolve`, the raw fold). */
export interface AccountState {
  owner: string;
  currency: string;
  balance: number;
  deposits: number;
  version: number;
}

export const initialAccount = (): AccountState => ({ owner: '', currency: '', balance: 0, deposits: 0, version: 0 });

/** The plain `{ type, data }` events of versions `from` … `to`, as a schemaless store takes them. */
export function plainEvents(from: number, to: number): { type: string; data: Record<string, unknown> }[] {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for (let version = from; version <= to; version++) {
    const { type, data } = eventAt(version);
    events.push({ type, data: data as Record<string, unknown> });
  }
  return events;
}

/** Folds one stored event into the state (the same arithmetic as the `Account` aggregate). */
export function evolveAccount(state: AccountState, type: string, data: Record<string, unknown>): AccountState {
  if (type === 'AccountOpened') {
    const opened = data as ReturnType<typeof openedData>;
    return { ...state, owner: opened.owner, currency: opened.currency, balance: opened.initialDeposit, version: state.version + 1 };
  }
  const deposit = data as ReturnType<typeof depositData>;
  return { ...state, balance: state.balance + deposit.amount, deposits: state.deposits + 1, version: state.version + 1 };
}

/** A consumer that makes no progress for this long has stalled: the pass fails instead of hanging. */
const STALL_MS = 30_000;

/** Waits for a consumer's `start()`; stops it and throws when its count stalls for STALL_MS. */
export async function untilStopped(started: Promise<void>, count: () => number, stop: () => Promise<void>): Promise<void> {
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

/** Events per stream in a seeded log (as bench/lib/seed-log.ts writes eventuali's). */
export const LOG_STREAM_EVENTS = 1000;
