import type { EventStore } from '../event-store/event-store.js';
import { inspectionOf } from './inspection-of.js';

/** Lag is counted up to this many events: past it, `lag` is this number and `lagCapped` is true. */
export const LAG_COUNT_LIMIT = 100_000;

/** A stored subscription (or projection), as `eventuali subscriptions` and the inspector show it. */
export interface SubscriptionStatus {
  id: string;
  /** `running`: an instance holds its lease now; `stopped`: none does (not running anywhere). */
  state: 'running' | 'stopped';
  /** The instance holding the lease (`host:pid:uuid`), or null. */
  owner: string | null;
  /** The checkpoint: the position of the last event it handled. */
  checkpoint: bigint;
  /** When the checkpoint was last written (null on the memory adapter). */
  checkpointAt: Date | null;
  /**
   * Events stored after the checkpoint, whatever their type (the store does not know a
   * subscription's filters), counted up to `LAG_COUNT_LIMIT`.
   */
  lag: number;
  lagCapped: boolean;
  deadLetters: number;
}

/** Every subscription with a stored checkpoint, with its state, owner, checkpoint, lag and dead letters. */
export async function listSubscriptionStatus(store: EventStore): Promise<SubscriptionStatus[]> {
  const inspection = inspectionOf(store);
  const subscriptions = await inspection.listSubscriptions();
  const out: SubscriptionStatus[] = [];
  for (const s of subscriptions) {
    const lag = await inspection.countEventsAfter(s.position, LAG_COUNT_LIMIT);
    out.push({
      id: s.subscriptionId,
      state: s.owner === null ? 'stopped' : 'running',
      owner: s.owner,
      checkpoint: s.position,
      checkpointAt: s.updatedAt,
      lag,
      lagCapped: lag >= LAG_COUNT_LIMIT,
      deadLetters: s.deadLetters,
    });
  }
  return out;
}
