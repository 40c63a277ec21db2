import type { EventRecord } from '../../store/adapter.js';
import type { DurableSubscription } from './durable-subscription.js';
import { StopDelivery } from './subscription-errors.js';

/**
 * Plain handlers: each event in turn (with retries); the subscription then stores the batch's
 * checkpoint, or coalesces it with the next batches' (see DurableSubscription). A handler that
 * returns without a promise is not awaited: the batch runs without a promise hop per event.
 */
export async function deliverEachThenCheckpoint(records: readonly EventRecord[], subscription: DurableSubscription): Promise<bigint | null> {
  let last: bigint | null = null;
  try {
    for (const record of records) {
      if (subscription.stopRequested) break;
      let outcome = subscription.deliver(record);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome.kind === 'stopping') break;
      if (outcome.kind === 'stop') throw new StopDelivery(outcome.error);
      last = record.globalPosition;
    }
  } finally {
    // Whatever was handled before a stop or failure counts, so it is not delivered again.
    if (last !== null) subscription.handled(last);
  }
  return last;
}
