/**
 * What every workload asks of a contender: eventuali, the raw driver (the physical floor) and
 * Emmett (the peer comparison) each implement this, through their own public API as their docs
 * show it. Every contender writes the same events (bench/domain/account.ts: an opening, then
 * deposits), with an optimistic version check, into its own fresh database.
 *
 * Two pairs of operations look alike and differ on purpose, because the workloads measure what a
 * user of each library writes: `saveNew`/`loadAggregate` are items 1a–1c and 2 (eventuali through
 * an `Account` aggregate: commands, `store.save`, `store.load`), `appendNew`/`readStream`/`rebuild`
 * the peer comparison (eventuali through `store.append`, `store.loadEvents`, `store.load`). The raw
 * driver does the same SQL for both of a pair.
 */
import type { Location } from '../lib/targets.js';

export interface Contender {
  /** Column name in the tables: `eventuali`, `raw`, `emmett`. */
  readonly name: string;
  /**
   * One transaction: checks `streamId` has no events, then appends `eventCount` events
   * (versions 1 … eventCount), making them from the domain's input (eventuali: `Account` commands, `store.save`).
   */
  saveNew(streamId: string, eventCount: number): Promise<void>;
  /** Setup, not timed: writes a stream of `eventCount` events in transactions of `chunkSize`. */
  seedStream(streamId: string, eventCount: number, chunkSize: number): Promise<void>;
  /** Loads a stream as items 1c and 2 do (eventuali: `store.load(Account, id)`); returns its version. */
  loadAggregate(streamId: string): Promise<number>;
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
export type ContenderFactory = (location: Location) => Promise<Contender>;

/** Splits `eventCount` versions into chunks: `[from, to]` pairs. */
export function* chunks(eventCount: number, chunkSize: number): Generator<[number, number]> {
  for (let from = 1; from <= eventCount; from += chunkSize) yield [from, Math.min(eventCount, from + chunkSize - 1)];
}
