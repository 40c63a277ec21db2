import type { DeadLetterRecord, LeaseFence } from '../coordination.js';
import { subscriptionLeaseName, type SubscriptionSummary } from '../inspection.js';
import type { ReplayRequestStorage } from '../replay-requests.js';

/** @internal leases, checkpoints and dead letters of the memory adapter. */
export class MemorySubscriptions {
  readonly #leases = new Map<string, { owner: string; expiresAt: number }>();
  readonly #checkpoints = new Map<string, bigint>();
  readonly #deadLetters = new Map<string, DeadLetterRecord>();
  /** Dead letter ids marked for replay (`replay-requests.ts`). */
  readonly #replayRequested = new Set<string>();

  acquireLease(name: string, owner: string, ttlMs: number): boolean {
    const now = Date.now();
    const lease = this.#leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt >= now) return false;
    this.#leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  leaseHolder(name: string): string | null {
    const lease = this.#leases.get(name);
    return lease && lease.expiresAt >= Date.now() ? lease.owner : null;
  }

  releaseLease(name: string, owner: string): void {
    if (this.#leases.get(name)?.owner === owner) this.#leases.delete(name);
  }

  holds(fence: LeaseFence | undefined): boolean {
    return fence === undefined || this.#leases.get(fence.name)?.owner === fence.owner;
  }

  loadCheckpoint(subscriptionId: string): bigint | null {
    return this.#checkpoints.get(subscriptionId) ?? null;
  }

  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): boolean {
    if (!this.holds(fence)) return false;
    this.#checkpoints.set(subscriptionId, position);
    return true;
  }

  addDeadLetter(record: DeadLetterRecord): void {
    this.#deadLetters.set(record.id, { ...record });
  }

  listDeadLetters(subscriptionId: string): DeadLetterRecord[] {
    return [...this.#deadLetters.values()].filter((r) => r.subscriptionId === subscriptionId);
  }

  deleteDeadLetter(id: string): void {
    this.#deadLetters.delete(id);
    this.#replayRequested.delete(id);
  }

  /** A `ReplayRequestStorage` over these dead letters. */
  replayRequests(): ReplayRequestStorage {
    return {
      requestReplay: async (subscriptionId, ids) => {
        const marked = [...new Set(ids)].filter((id) => this.#deadLetters.get(id)?.subscriptionId === subscriptionId);
        for (const id of marked) this.#replayRequested.add(id);
        return marked;
      },
      replayRequests: async (subscriptionId) => this.listDeadLetters(subscriptionId).filter((r) => this.#replayRequested.has(r.id)),
      clearReplayRequest: async (id) => {
        this.#replayRequested.delete(id);
      },
    };
  }

  /** Every subscription with a checkpoint, by id (the memory adapter keeps no checkpoint times). */
  summaries(): SubscriptionSummary[] {
    const now = Date.now();
    return [...this.#checkpoints.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([subscriptionId, position]) => {
        const lease = this.#leases.get(subscriptionLeaseName(subscriptionId));
        const live = lease !== undefined && lease.expiresAt >= now ? lease : undefined;
        return {
          subscriptionId,
          position,
          updatedAt: null,
          owner: live?.owner ?? null,
          leaseExpiresAt: live ? new Date(live.expiresAt) : null,
          deadLetters: this.listDeadLetters(subscriptionId).length,
        };
      });
  }
}
