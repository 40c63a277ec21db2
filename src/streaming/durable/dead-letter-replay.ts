import type { StorageAdapter } from '../../store/adapter.js';
import type { DurableSubscription } from './durable-subscription.js';

/**
 * Hands each of the subscription's dead letters to its handler once more (no retries, no parking);
 * the ones it now handles leave the dead-letter table.
 * @internal
 */
export async function replayDeadLetters(subscription: DurableSubscription, adapter: StorageAdapter): Promise<{ handled: number; failed: number }> {
  let handled = 0;
  let failed = 0;
  for (const letter of await adapter.listDeadLetters(subscription.id)) {
    const [record] = await adapter.readEvents([letter.eventId]);
    const outcome = record ? await subscription.deliver(record, { retries: false, park: false }) : undefined;
    if (outcome?.kind === 'handled') {
      await adapter.deleteDeadLetter(letter.id);
      handled += 1;
    } else {
      failed += 1;
    }
  }
  return { handled, failed };
}
