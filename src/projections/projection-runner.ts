import { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import type { DeliveryContext } from '../streaming/durable/delivery-context.js';
import type { SubscriptionHost } from '../streaming/durable/subscription-host.js';
import type { ResolvedSubscriptionOptions } from '../streaming/durable/subscription-options.js';
import type { Projection } from './projection.js';
import { projectionDelivery } from './projection-delivery.js';
import { rebuildProjection } from './projection-rebuild.js';

/**
 * Runs a projection on a durable subscription. Each batch's handler writes and its checkpoint
 * commit in one transaction; a failing event is retried alone, then parked (or stops the runner).
 */
export class ProjectionRunner extends DurableSubscription {
  readonly projection: Projection;
  readonly #ctx: DeliveryContext;

  /** Made by `store.projection()`. */
  constructor(host: SubscriptionHost, projection: Projection, options: ResolvedSubscriptionOptions) {
    let parts: DeliveryContext | undefined;
    super(host, options, (ctx) => {
      parts = ctx;
      return projectionDelivery(projection, ctx);
    });
    this.projection = projection;
    this.#ctx = parts!;
  }

  /**
   * Empties the read model (`reset`) and replays every event from the start. Stops the runner
   * first and starts it again after; fails when another instance holds the lease.
   */
  async rebuild(): Promise<void> {
    const wasRunning = this.state !== 'idle' && this.state !== 'stopped' && this.state !== 'failed';
    await this.stop();
    await rebuildProjection(this.projection, this.#ctx);
    if (wasRunning) await this.start();
  }
}
