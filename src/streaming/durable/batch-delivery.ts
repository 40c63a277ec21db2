import type { EventRecord } from '../../store/adapter.js';
import type { DurableSubscription } from './durable-subscription.js';
import { StopDelivery } from './subscription-errors.js';

/** Plain handlers: each event in turn (with retries), then one checkpoint for the batch. */
export async function deliverEachThenCheckpoint(records: readonly EventRecord[], subscription: DurableSubscription): Promise<bigint | null> {
  let last: bigint | null = null;
  try {
    for (const record of records) {
      if (subscription.stopRequested) break;
      const outcome = await subscription.deliver(record);
      if (outcome.kind === 'stopping') break;
      if (outcome.kind === 'stop') throw new StopDelivery(outcome.error);
      last = record.globalPosition;
    }
  } finally {
    // Whatever was handled before a stop or failure is checkpointed, so it is not delivered again.
    if (last !== null) await subscription.checkpoint(last);
  }
  return last;
}
