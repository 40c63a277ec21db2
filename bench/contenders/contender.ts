/**
 * What a workload asks of a contender (eventuali, the raw driver, later Emmett): write a stream,
 * read it back. Every contender writes the same events (bench/domain/account.ts: an opening, then
 * deposits), with an optimistic version check, into its own fresh database.
 */
import type { BenchDatabase } from '../lib/targets.js';

export interface Contender {
  /** Column name in the tables: `eventuali`, `raw`, … */
  readonly name: string;
  /**
   * One transaction: checks `streamId` has no events, then appends `eventCount` events
   * (versions 1 … eventCount). Includes making the events from the domain's input.
   */
  createStream(streamId: string, eventCount: number): Promise<void>;
  /** Setup, not timed: writes a stream of `eventCount` events in transactions of `chunkSize`. */
  seedStream(streamId: string, eventCount: number, chunkSize: number): Promise<void>;
  /** Reads a whole stream in version order and decodes every event; returns the stream's version. */
  readStream(streamId: string): Promise<number>;
  close(): Promise<void>;
}

/** Opens a contender on a workload's database. */
export type ContenderFactory = (db: BenchDatabase) => Promise<Contender>;
