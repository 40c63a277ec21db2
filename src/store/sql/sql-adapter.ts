import type { EventRecord } from '../event-log.js';
import type { DeadLetterRecord, LeaseFence, SubscriptionStorage } from '../coordination.js';

/**
 * Leases, checkpoints and dead letters as one SQL adapter's coordination class runs them:
 * synchronously (better-sqlite3) or not (pg), on the adapter's connection.
 */
export type SqlCoordination = {
  [K in keyof SubscriptionStorage]: (
    ...args: Parameters<SubscriptionStorage[K]>
  ) => Awaited<ReturnType<SubscriptionStorage[K]>> | ReturnType<SubscriptionStorage[K]>;
};

/**
 * The flow both SQL adapters share for coordination: every call goes through the adapter's own
 * `call` (its open check, its lock or pool, its error classifier) to its coordination class, the
 * same in each adapter folder (`sqlite-coordination.ts`, `postgres-coordination.ts`).
 */
export abstract class SqlAdapter implements SubscriptionStorage {
  /** Leases, checkpoints and dead letters in this adapter's database. */
  protected abstract readonly coordination: SqlCoordination;

  /** Runs one call: the adapter's open check, lock or pool, and error classification. */
  protected abstract call<T>(fn: () => T | Promise<T>): Promise<T>;

  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.call(() => this.coordination.acquireLease(name, owner, ttlMs));
  }

  leaseHolder(name: string): Promise<string | null> {
    return this.call(() => this.coordination.leaseHolder(name));
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.call(() => this.coordination.releaseLease(name, owner));
  }

  loadCheckpoint(subscriptionId: string): Promise<bigint | null> {
    return this.call(() => this.coordination.loadCheckpoint(subscriptionId));
  }

  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    return this.call(() => this.coordination.saveCheckpoint(subscriptionId, position, fence));
  }

  addDeadLetter(record: DeadLetterRecord): Promise<void> {
    return this.call(() => this.coordination.addDeadLetter(record));
  }

  listDeadLetters(subscriptionId: string): Promise<DeadLetterRecord[]> {
    return this.call(() => this.coordination.listDeadLetters(subscriptionId));
  }

  deleteDeadLetter(id: string): Promise<void> {
    return this.call(() => this.coordination.deleteDeadLetter(id));
  }

  readEvents(eventIds: readonly string[]): Promise<EventRecord[]> {
    return this.call(() => this.coordination.readEvents(eventIds));
  }
}
