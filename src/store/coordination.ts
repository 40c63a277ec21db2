import type { EventRecord } from '../core/event-record.js';
import type { DocumentWriter } from './documents.js';

/**
 * What durable subscriptions, projections and sagas keep in the store besides events: leases (one
 * active instance per name across processes), checkpoints and dead letters. Part of the storage port.
 */

/** An event a subscription's handler gave up on, parked with the error. */
export interface DeadLetterRecord {
  id: string;
  subscriptionId: string;
  globalPosition: bigint;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  failedAt: Date;
}

/** Who must still hold which lease for a checkpoint write to count (fencing a holder that lost it). */
export interface LeaseFence {
  name: string;
  owner: string;
}

export interface SubscriptionStorage {
  /**
   * Takes the named lease for `owner` until now + `ttlMs`, when it is free, expired, or already
   * `owner`'s (then renews it). True when `owner` holds it afterwards.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** The owner holding the named lease now (not expired), or null. */
  leaseHolder(name: string): Promise<string | null>;
  /** Gives the lease up if `owner` holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
  /** The subscription's stored position; `null` when it never stored one. */
  loadCheckpoint(subscriptionId: string): Promise<bigint | null>;
  /**
   * Stores the position. With a fence, only while the fence's owner still holds that lease; returns
   * false (nothing written) when it does not.
   */
  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean>;
  addDeadLetter(record: DeadLetterRecord): Promise<void>;
  /** Oldest first. */
  listDeadLetters(subscriptionId: string): Promise<DeadLetterRecord[]>;
  deleteDeadLetter(id: string): Promise<void>;
  /** The stored events with these ids (any order; missing ids are left out). */
  readEvents(eventIds: readonly string[]): Promise<EventRecord[]>;
}

/** A parameterised SQL statement run on a transaction's connection, for read models in the same database. */
export type SqlQuery = <Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => Promise<Row[]>;

/** What a projection's transaction can do besides appending: write its read model and its checkpoint. */
export interface ProjectionSession {
  /** Runs SQL in the transaction (`?` placeholders on SQLite, `$1` on PostgreSQL). Throws on the memory adapter. */
  query: SqlQuery;
  /** The driver's connection in the transaction (better-sqlite3 Database, pg PoolClient); null on memory. */
  readonly client: unknown;
  /** Read models' document writes in the transaction (on adapters that keep documents). */
  readonly documents?: DocumentWriter | undefined;
  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean>;
}
