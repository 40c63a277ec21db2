import type { EventStore } from '../event-store/event-store.js';
import type { SagaStatus } from '../saga/saga-instance.js';
import { inspectionOf } from './inspection-of.js';
import { countSagasByStatus } from './saga-queries.js';
import { listSubscriptionStatus, type SubscriptionStatus } from './subscription-status.js';

/** The store at a glance: what `eventuali status` prints and the inspector's overview shows. */
export interface StoreStatus {
  /** The position of the last event readers can see (`0n`: none). */
  head: bigint;
  events: number;
  /** False when `events` is an estimate (asked for with `exactCounts: false` on a large store). */
  eventsExact: boolean;
  streams: number;
  /** False when `streams` is an estimate (`exactCounts: false` on a large PostgreSQL store). */
  streamsExact: boolean;
  subscriptions: SubscriptionStatus[];
  /** Dead letters of every subscription. */
  deadLetters: number;
  sagas: Record<SagaStatus, number>;
}

/**
 * The store's status. `exactCounts: false` (for an overview that must answer at once) lets the
 * event count be an estimate on a large store; everything else is exact either way.
 */
export async function storeStatus(store: EventStore, options: { exactCounts?: boolean } = {}): Promise<StoreStatus> {
  const inspection = inspectionOf(store);
  const head = await store.getGlobalPosition();
  const { count: events, exact: eventsExact } = await inspection.countEvents({ exact: options.exactCounts ?? true });
  const { count: streams, exact: streamsExact } = await inspection.countAllStreams({ exact: options.exactCounts ?? true });
  const subscriptions = await listSubscriptionStatus(store);
  const sagas = await countSagasByStatus(store);
  const deadLetters = subscriptions.reduce((sum, s) => sum + s.deadLetters, 0);
  return { head, events, eventsExact, streams, streamsExact, subscriptions, deadLetters, sagas };
}
