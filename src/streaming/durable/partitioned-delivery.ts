import type { EventRecord } from '../../store/event-log.js';
import type { BatchDelivery, DeliveryContext } from './delivery-context.js';
import { partitionOf, type PartitionSlice } from './partition-hash.js';

/**
 * A consumer group's partition reads the whole log and delivers only its own events (by the
 * hash of their aggregate id). Once every own event of the page is handled, the page's last
 * event counts as handled too, so the checkpoint moves past the other partitions' events and they
 * are not read again.
 * @internal
 */
export function partitionedDelivery(inner: BatchDelivery, slice: PartitionSlice): BatchDelivery {
  return async (records: readonly EventRecord[], ctx: DeliveryContext) => {
    const last = records.at(-1);
    if (last === undefined) return;
    const own = records.filter((record) => partitionOf(record.aggregateId, slice.count) === slice.index);
    const lastOwn = own.at(-1)?.globalPosition;
    let done = lastOwn === undefined;
    if (lastOwn !== undefined) {
      const reached = (position: bigint) => {
        if (position === lastOwn) done = true;
      };
      const deliver = () =>
        inner(own, {
          ...ctx,
          handled: (position) => {
            ctx.handled(position);
            reached(position);
          },
          checkpointed: (position) => {
            ctx.checkpointed(position);
            reached(position);
          },
          checkpoint: async (position) => {
            await ctx.checkpoint(position);
            reached(position);
          },
        });
      // partitionConcurrency: wait for a slot; a partition stopped meanwhile leaves the queue and
      // delivers nothing (its checkpoint stays before these events: its next owner reads them again).
      if (slice.gate) await slice.gate.run(deliver, ctx.stopSignal());
      else await deliver();
    }
    if (done && last.globalPosition !== lastOwn) ctx.handled(last.globalPosition);
  };
}
