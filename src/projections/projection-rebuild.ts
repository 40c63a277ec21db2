import type { DeliveryContext } from '../streaming/durable/delivery-context.js';
import { LeaseLostError, SubscriptionError } from '../streaming/durable/subscription-errors.js';
import { setupContext, type Projection } from './projection.js';

/**
 * Empties the projection's read model (`reset`) and rewinds its checkpoint to the start, in one
 * transaction, under the subscription's lease (taken for the rebuild; fails when another instance
 * holds it). The runner is stopped first.
 */
export async function rebuildProjection(projection: Projection, ctx: DeliveryContext): Promise<void> {
  const { adapter } = ctx.host;
  const { fence } = ctx;
  if (!(await adapter.acquireLease(fence.name, fence.owner, ctx.options.leaseTtlMs))) {
    throw new SubscriptionError(ctx.id, 'cannot rebuild while another instance holds the lease');
  }
  try {
    await adapter.transaction(async (session) => {
      await projection.reset(setupContext(session));
      if (!(await session.saveCheckpoint(ctx.id, 0n, fence))) throw new LeaseLostError(ctx.id);
    });
    ctx.checkpointed(0n);
  } finally {
    await adapter.releaseLease(fence.name, fence.owner);
  }
}
