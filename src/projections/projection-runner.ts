import { InvalidArgumentError } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { EventRecord } from '../store/event-log.js';
import type { ProjectionSession } from '../store/coordination.js';
import { setupContext, type Projection, type ProjectionContext } from './projection.js';
import { handlerContext } from '../streaming/durable/deliver.js';
import { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import { LeaseLostError, StopDelivery, SubscriptionError, toError } from '../streaming/durable/subscription-errors.js';
import type { SubscriptionHost } from '../streaming/durable/subscription-host.js';
import type { ResolvedSubscriptionOptions } from '../streaming/durable/subscription-options.js';

/**
 * Runs a projection on a durable subscription. Each batch's handler writes and its checkpoint
 * commit in one transaction; a failing event is retried alone, then parked (or stops the runner).
 */
export class ProjectionRunner extends DurableSubscription {
  readonly projection: Projection;
  readonly #host: SubscriptionHost;

  /** @internal */
  constructor(host: SubscriptionHost, projection: Projection, options: ResolvedSubscriptionOptions) {
    const invokeInTransaction = (event: Event, attempt: number) =>
      host.adapter.transaction(async (session) => {
        await applyEvent(projection, event, projectionContext(this, event, attempt, host, session));
        await checkpointIn(this, session, event.globalPosition);
      });
    super(host, options, (records) => deliverBatch(this, host, records), invokeInTransaction);
    this.projection = projection;
    this.#host = host;
    this.beforeFollow = () => host.adapter.transaction((session) => projection.setup(setupContext(session)));
  }

  /**
   * Empties the read model (`reset`) and replays every event from the start. Stops the runner
   * first and starts it again after; fails when another instance holds the lease.
   */
  async rebuild(): Promise<void> {
    const wasRunning = this.state !== 'idle' && this.state !== 'stopped' && this.state !== 'failed';
    await this.stop();
    const { adapter } = this.#host;
    const fence = this.fence;
    if (!(await adapter.acquireLease(fence.name, fence.owner, this.options.leaseTtlMs))) {
      throw new SubscriptionError(this.id, 'cannot rebuild while another instance holds the lease');
    }
    try {
      await adapter.transaction(async (session) => {
        const s = session;
        await this.projection.reset(setupContext(s));
        if (!(await s.saveCheckpoint(this.id, 0n, fence))) throw new LeaseLostError(this.id);
      });
      this.checkpointed(0n);
    } finally {
      await adapter.releaseLease(fence.name, fence.owner);
    }
    if (wasRunning) await this.start();
  }
}

async function applyEvent(projection: Projection, event: Event, ctx: ProjectionContext): Promise<void> {
  const handler = projection.handlerFor(event.eventType);
  if (handler) await handler(event, ctx);
}

function projectionContext(
  runner: ProjectionRunner,
  event: Event,
  attempt: number,
  host: SubscriptionHost,
  session: ProjectionSession,
): ProjectionContext {
  const { subscriptionId, metadata } = handlerContext(runner.id, event, attempt, host);
  return {
    subscriptionId,
    attempt,
    metadata,
    // The projection's transaction holds the store's writer on SQLite and memory: a save from
    // inside it would wait for itself. Reactions that save belong in a subscription.
    save: () => Promise.reject(new InvalidArgumentError('ctx.save', 'is not available in a projection: use store.subscribe() for reactions that save')),
    query: session.query,
    client: session.client,
  };
}

async function checkpointIn(runner: ProjectionRunner, session: ProjectionSession, position: bigint): Promise<void> {
  if (!(await session.saveCheckpoint(runner.id, position, runner.fence))) throw new LeaseLostError(runner.id);
}

/** One transaction for the batch; if it fails, each event again in its own, with retries. */
async function deliverBatch(runner: ProjectionRunner, host: SubscriptionHost, records: readonly EventRecord[]): Promise<bigint | null> {
  const last = records.at(-1)!.globalPosition;
  try {
    await host.adapter.transaction(async (session) => {
      const s = session;
      for (const record of records) {
        const event = host.registry.decode(record);
        await applyEvent(runner.projection, event, projectionContext(runner, event, 1, host, s));
      }
      await checkpointIn(runner, s, last);
    });
    runner.checkpointed(last);
    return last;
  } catch (error) {
    if (error instanceof LeaseLostError) throw error;
    runner.emitError(toError(error), { willRetry: true });
  }
  let handled: bigint | null = null;
  for (const record of records) {
    if (runner.stopRequested) break;
    const outcome = await runner.deliver(record);
    if (outcome.kind === 'stopping') break;
    if (outcome.kind === 'stop') throw new StopDelivery(outcome.error);
    if (outcome.kind === 'dead-lettered') await runner.checkpoint(record.globalPosition);
    else runner.checkpointed(record.globalPosition);
    handled = record.globalPosition;
  }
  return handled;
}
