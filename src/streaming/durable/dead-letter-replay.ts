import type { DeliveryContext } from './delivery-context.js';

/**
 * Hands each of the subscription's dead letters to its handler once more (no retries, no parking);
 * the ones it now handles leave the dead-letter table.
 */
export async function replayDeadLetters(ctx: DeliveryContext): Promise<{ handled: number; failed: number }> {
  const { adapter } = ctx.host;
  let handled = 0;
  let failed = 0;
  for (const letter of await adapter.listDeadLetters(ctx.id)) {
    const [record] = await adapter.readEvents([letter.eventId]);
    const outcome = record ? await ctx.deliver(record, { retries: false, park: false }) : undefined;
    if (outcome?.kind === 'handled') {
      await adapter.deleteDeadLetter(letter.id);
      handled += 1;
    } else {
      failed += 1;
    }
  }
  return { handled, failed };
}
