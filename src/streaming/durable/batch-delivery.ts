import type { EventRecord } from '../../store/event-log.js';
import type { DeliveryContext, DeliveryOutcome } from './delivery-context.js';
import { StopDelivery } from './subscription-errors.js';

/**
 * Plain handlers: each event in turn (with retries); the subscription then stores the batch's
 * checkpoint, or coalesces it with the next batches' (see DurableSubscription). A handler that
 * returns without a promise is not awaited: the batch runs without a promise hop per event.
 */
export async function deliverEachThenCheckpoint(records: readonly EventRecord[], ctx: DeliveryContext): Promise<void> {
  let last: bigint | null = null;
  try {
    for (const record of records) {
      if (ctx.isStopping()) break;
      let outcome = ctx.deliver(record);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome.kind === 'stopping') break;
      if (outcome.kind === 'stop') throw new StopDelivery(outcome.error);
      last = record.globalPosition;
    }
  } finally {
    // Whatever was handled before a stop or failure counts, so it is not delivered again.
    if (last !== null) ctx.handled(last);
  }
}

/**
 * Handlers with `concurrency` above 1: up to that many events of the batch are delivered at once,
 * each with its retries. Once they have all settled, the events up to the first one that was not
 * handled (or parked) count as handled, so the checkpoint never passes an event that was not; a
 * stop (`onError: 'stop'`) or an error then ends the batch as it does for one event at a time.
 */
export async function deliverConcurrently(records: readonly EventRecord[], ctx: DeliveryContext): Promise<void> {
  const outcomes = new Array<DeliveryOutcome | undefined>(records.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < records.length && failure === undefined && !ctx.isStopping()) {
      const i = next++;
      try {
        const outcome = await ctx.deliver(records[i] as EventRecord);
        outcomes[i] = outcome;
        if (outcome.kind === 'stop' || outcome.kind === 'stopping') return;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.min(ctx.options.concurrency, records.length);
  await Promise.all(Array.from({ length: workers }, worker));
  let last: bigint | null = null;
  let stop: Error | undefined;
  for (let i = 0; i < records.length; i++) {
    const outcome = outcomes[i];
    if (outcome === undefined || outcome.kind === 'stopping') break;
    if (outcome.kind === 'stop') {
      stop = outcome.error;
      break;
    }
    last = (records[i] as EventRecord).globalPosition;
  }
  if (last !== null) ctx.handled(last);
  if (failure !== undefined) throw failure.error;
  if (stop !== undefined) throw new StopDelivery(stop);
}
