import type { DeadLetterRecord } from '../../store/coordination.js';
import type { DeliveryContext } from './delivery-context.js';

/** Hands one dead letter to the handler once more (no retries, no parking); true when handled, and then it leaves the table. */
async function replayOne(ctx: DeliveryContext, letter: DeadLetterRecord): Promise<boolean> {
  const { adapter } = ctx.host;
  const [record] = await adapter.readEvents([letter.eventId]);
  const outcome = record ? await ctx.deliver(record, { retries: false, park: false }) : undefined;
  if (outcome?.kind !== 'handled') return false;
  await adapter.deleteDeadLetter(letter.id);
  return true;
}

/**
 * Hands each of the subscription's dead letters to its handler once more (no retries, no parking);
 * the ones it now handles leave the dead-letter table.
 */
export async function replayDeadLetters(ctx: DeliveryContext): Promise<{ handled: number; failed: number }> {
  let handled = 0;
  let failed = 0;
  for (const letter of await ctx.host.adapter.listDeadLetters(ctx.id)) {
    if (await replayOne(ctx, letter)) handled += 1;
    else failed += 1;
  }
  return { handled, failed };
}

/**
 * Replays the dead letters another process marked for replay (`eventuali dead-letters replay`):
 * handled ones leave the table; a failing one stays parked, its mark removed so it is not tried
 * again until asked for again.
 */
export async function replayRequestedDeadLetters(ctx: DeliveryContext): Promise<void> {
  const requests = ctx.host.adapter.replayRequests;
  if (!requests) return;
  for (const letter of await requests.replayRequests(ctx.id)) {
    if (ctx.isStopping()) return;
    if (!(await replayOne(ctx, letter))) await requests.clearReplayRequest(letter.id);
  }
}
