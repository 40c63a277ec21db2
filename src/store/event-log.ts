import type { EventRecord, NewEventRecord } from '../core/event-record.js';

/** The event log part of the storage port: append, read a stream, read the store-wide log. */

export type { EventRecord, NewEventRecord };

/** `number`: the stream must be at exactly that version; `'no-stream'`: it must not exist; `'any'`: no check. */
export type ExpectedVersion = number | 'any' | 'no-stream';

/** One aggregate's events, appended all or nothing. */
export interface AppendBatch {
  aggregateId: string;
  aggregateType: string;
  expectedVersion: ExpectedVersion;
  events: readonly NewEventRecord[];
}

export interface ReadAllQuery {
  /** Return events after this position in log order; `0n` = from the start. */
  after: bigint;
  limit: number;
  eventTypes?: readonly string[] | undefined;
  aggregateTypes?: readonly string[] | undefined;
}

export interface ReadStreamQuery {
  /** Inclusive. */
  fromVersion: number;
  /** Inclusive; omitted = to the end. */
  toVersion?: number | undefined;
}

/** What can be done inside a transaction as well as outside one. */
export interface StorageSession {
  /**
   * Appends one aggregate's events at versions `current + 1 …`. Throws `ConcurrencyError` when the
   * expected version does not hold (nothing written). Re-appending event ids that are already stored
   * at the same versions of the same aggregate returns the stored records (idempotent retry).
   */
  append(batch: AppendBatch): Promise<EventRecord[]>;
  /** The aggregate's events, in version order. */
  readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]>;
  /** The aggregate's last version and type; `null` when it has no events. */
  streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null>;
}

/** Reading the store-wide log. */
export interface EventLog {
  /** Events in log order, after `query.after`, at most `query.limit`. Never skips an event that commits late. */
  readAll(query: ReadAllQuery): Promise<EventRecord[]>;
  /** Position of the last event in log order that readers can see; `0n` when none. */
  globalPosition(): Promise<bigint>;
}

/** What importing one batch did. */
export interface ImportedBatch {
  /** Events written. */
  imported: number;
  /** Events already stored with the same id at the same position (a second import of the same file). */
  skipped: number;
}

/** Loading exported events as they are, positions included (`importEvents` in `eventuali`). */
export interface EventImport {
  /**
   * Stores `records` (positions strictly increasing) with their own ids, versions and global
   * positions, in one transaction, and moves the store's position sequence past them, so a later
   * append takes a greater position. A record already stored with the same id at the same
   * position is skipped. A record whose position, event id or stream version another event holds
   * throws `ImportConflictError`: nothing of the batch is written.
   */
  importEvents(records: readonly EventRecord[]): Promise<ImportedBatch>;
}
