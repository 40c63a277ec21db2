import type { SubscriptionStorage, ProjectionSession } from './coordination.js';
import type { EventLog, StorageSession } from './event-log.js';
import type { SnapshotStorage } from './snapshots.js';
import type { DocumentStorage } from './documents.js';
import type { InspectionStorage } from './inspection.js';
import type { ReplayRequestStorage } from './replay-requests.js';

/**
 * The storage port, whole: the event log (`event-log.ts`), snapshots (`snapshots.ts`),
 * coordination (`coordination.ts`: leases, checkpoints, dead letters) and read models' documents
 * (`documents.ts`). Adapters store plain
 * records: validation, upcasting and (de)serialization happen once, in core. Every adapter passes
 * the contract suite in `eventuali/testing`.
 */

/** Facts the core acts on, instead of branching on the adapter's kind. */
export interface AdapterCapabilities {
  /** Two transactions can append at once (PostgreSQL); false for a single writer (SQLite, memory). */
  readonly concurrentWriters: boolean;
  /** The database can push a wake-up to readers (PostgreSQL LISTEN/NOTIFY). */
  readonly listenNotify: boolean;
  /** Data outlives the process. */
  readonly persistent: boolean;
}

/** The session of `transaction(fn)`: appends and reads, plus SQL and checkpoints for read models. */
export type TransactionSession = StorageSession & ProjectionSession;

export interface StorageAdapter extends StorageSession, EventLog, SnapshotStorage, SubscriptionStorage {
  readonly capabilities: AdapterCapabilities;
  /** Runs `fn` in one database transaction: everything appended in it commits together or not at all. */
  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T>;
  /** Read models' documents (`documents.ts`; the built-in adapters all keep them); absent, read models refuse to run. */
  readonly documents?: DocumentStorage | undefined;
  /** Operator queries (`inspection.ts`: counts, stream lists, subscriptions; the built-in adapters all have them). */
  readonly inspection?: InspectionStorage | undefined;
  /** Dead-letter replays asked for from another process (`replay-requests.ts`; the built-in adapters all have them). */
  readonly replayRequests?: ReplayRequestStorage | undefined;
  /** With `listenNotify`: tells other processes that this one committed events (a hint). */
  notifyCommitted?(): void;
  /** With `listenNotify`: calls `listener` when any process notified a commit. Returns the unsubscribe function. */
  watch?(listener: () => void): () => void;
  close(): Promise<void>;
}
