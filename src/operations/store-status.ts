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
  streams: number;
  subscriptions: SubscriptionStatus[];
  /** Dead letters of every subscription. */
  deadLetters: number;
  sagas: Record<SagaStatus, number>;
}

export async function storeStatus(store: EventStore): Promise<StoreStatus> {
  const inspection = inspectionOf(store);
  const head = await store.getGlobalPosition();
  const events = await inspection.countEvents();
  const streams = await inspection.countStreams();
  const subscriptions = await listSubscriptionStatus(store);
  const sagas = await countSagasByStatus(store);
  const deadLetters = subscriptions.reduce((sum, s) => sum + s.deadLetters, 0);
  return { head, events, streams, subscriptions, deadLetters, sagas };
}
