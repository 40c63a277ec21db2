import { InvalidArgumentError } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { ProjectionSession } from '../store/coordination.js';
import type { EventRecord } from '../store/event-log.js';
import { handlerContext } from '../streaming/durable/deliver.js';
import type { DeliveryContext, DeliveryPlan } from '../streaming/durable/delivery-context.js';
import { LeaseLostError, StopDelivery, toError } from '../streaming/durable/subscription-errors.js';
import { setupContext, type Projection, type ProjectionContext } from './projection.js';

/**
 * How a projection runs on its durable subscription: each batch's handler writes and its
 * checkpoint commit in one transaction; a failing event is retried alone, in its own.
 */
export function projectionDelivery(projection: Projection, ctx: DeliveryContext): DeliveryPlan {
  const { adapter } = ctx.host;
  return {
    kind: 'projection',
    deliverBatch: (records) => deliverBatch(projection, ctx, records),
    invoke: (event, attempt) =>
      adapter.transaction(async (session) => {
        await applyEvent(projection, event, projectionContext(ctx, event, attempt, session));
        await checkpointIn(ctx, session, event.globalPosition);
      }),
    beforeFollow: () => adapter.transaction((session) => projection.setup(setupContext(session))),
  };
}

async function applyEvent(projection: Projection, event: Event, ctx: ProjectionContext): Promise<void> {
  const handler = projection.handlerFor(event.eventType);
  if (handler) await handler(event, ctx);
}

function projectionContext(ctx: DeliveryContext, event: Event, attempt: number, session: ProjectionSession): ProjectionContext {
  const { subscriptionId, metadata } = handlerContext(ctx.id, event, attempt, ctx.host);
  return {
    subscriptionId,
    attempt,
    metadata,
    // The projection's transaction holds the store's writer on SQLite and memory: a save from
    // inside it would wait for itself. Reactions that save belong in a subscription.
    save: () => Promise.reject(new InvalidArgumentError('ctx.save', 'is not available in a projection: use store.subscribe() for reactions that save')),
    query: session.query,
    client: session.client,
    documents: session.documents,
  };
}

async function checkpointIn(ctx: DeliveryContext, session: ProjectionSession, position: bigint): Promise<void> {
  if (!(await session.saveCheckpoint(ctx.id, position, ctx.fence))) throw new LeaseLostError(ctx.id);
}

/** One transaction for the batch; if it fails, each event again in its own, with retries. */
async function deliverBatch(projection: Projection, ctx: DeliveryContext, records: readonly EventRecord[]): Promise<void> {
  const last = records.at(-1)!.globalPosition;
  const { adapter, registry } = ctx.host;
  try {
    await adapter.transaction(async (session) => {
      if (projection.handleBatch) {
        const events = records.map((record) => registry.decode(record)).filter((e) => projection.handlerFor(e.eventType));
        if (events.length > 0) await projection.handleBatch(events, projectionContext(ctx, events[0]!, 1, session));
      } else {
        for (const record of records) {
          const event = registry.decode(record);
          await applyEvent(projection, event, projectionContext(ctx, event, 1, session));
        }
      }
      await checkpointIn(ctx, session, last);
    });
    ctx.checkpointed(last);
    return;
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    ctx.reportError(toError(error), { willRetry: true });
  }
  for (const record of records) {
    if (ctx.isStopping()) break;
    const outcome = await ctx.deliver(record);
    if (outcome.kind === 'stopping') break;
    if (outcome.kind === 'stop') throw new StopDelivery(outcome.error);
    if (outcome.kind === 'dead-lettered') await ctx.checkpoint(record.globalPosition);
    else ctx.checkpointed(record.globalPosition);
  }
}
