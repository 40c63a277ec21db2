import type { ProjectionSession, SubscriptionStorage } from './coordination.js';

/**
 * The storage port. Adapters store plain records: validation, upcasting and (de)serialization
 * happen once, in core. Every adapter passes the contract suite in `eventuali/testing`.
 */

/** `number`: the stream must be at exactly that version; `'no-stream'`: it must not exist; `'any'`: no check. */
export type ExpectedVersion = number | 'any' | 'no-stream';

/** An event as the store writes it: data and metadata already serialized to JSON text. */
export interface NewEventRecord {
  eventId: string;
  eventType: string;
  schemaVersion: number;
  timestamp: Date;
  /** JSON text. */
  metadata: string;
  /** JSON text. */
  data: string;
}

/** An event as the store returns it. */
export interface EventRecord extends NewEventRecord {
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  globalPosition: bigint;
}

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

export interface SnapshotRecord {
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  snapshotVersion: number;
  /** JSON text. */
  state: string;
}

/** Facts the core acts on, instead of branching on the adapter's kind. */
export interface AdapterCapabilities {
  /** Two transactions can append at once (PostgreSQL); false for a single writer (SQLite, memory). */
  readonly concurrentWriters: boolean;
  /** The database can push a wake-up to readers (PostgreSQL LISTEN/NOTIFY). */
  readonly listenNotify: boolean;
  /** Data outlives the process. */
  readonly persistent: boolean;
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

/** The session of `transaction(fn)`: appends and reads, plus SQL and checkpoints for read models. */
export type TransactionSession = StorageSession & ProjectionSession;

export interface StorageAdapter extends StorageSession, SubscriptionStorage {
  readonly capabilities: AdapterCapabilities;
  /** Events in log order, after `query.after`, at most `query.limit`. Never skips an event that commits late. */
  readAll(query: ReadAllQuery): Promise<EventRecord[]>;
  /** Position of the last event in log order that readers can see; `0n` when none. */
  globalPosition(): Promise<bigint>;
  /** Runs `fn` in one database transaction: everything appended in it commits together or not at all. */
  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T>;
  /** Newest snapshot of the aggregate taken with `snapshotVersion`, or null. */
  loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null>;
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /** With `listenNotify`: tells other processes that this one committed events (a hint). */
  notifyCommitted?(): void;
  /** With `listenNotify`: calls `listener` when any process notified a commit. Returns the unsubscribe function. */
  watch?(listener: () => void): () => void;
  close(): Promise<void>;
}
