import { EventualiError } from '../../core/errors.js';

/**
 * A subscription with `overflow: 'error'` received an event while its buffer was full.
 *
 * The subscription's iterator throws this after it has handed out every event it buffered before
 * the overflow, so a consumer knows exactly where its view of the stream has a gap.
 *
 * @example
 * try {
 *   for await (const { event } of streamer.subscribe({ id: 'mailer', overflow: 'error' })) await send(event);
 * } catch (e) {
 *   if (e instanceof StreamOverflowError) resyncFromStore(e.subscriptionId);
 * }
 */
export class StreamOverflowError extends EventualiError {
  constructor(
    readonly subscriptionId: string,
    readonly capacity: number,
  ) {
    super(
      'STREAM_OVERFLOW',
      `Subscription ${JSON.stringify(subscriptionId)} overflowed its buffer of ${capacity} events and was closed`,
    );
  }
}

/**
 * `subscribe()` was called with an id another live subscription of the same streamer holds.
 *
 * Ids name subscriptions in `stats()` and `unsubscribe()`, so two live ones may not share an id.
 *
 * @example
 * streamer.subscribe({ id: 'projector' });
 * streamer.subscribe({ id: 'projector' }); // throws SubscriptionExistsError
 */
export class SubscriptionExistsError extends EventualiError {
  constructor(readonly subscriptionId: string) {
    super('SUBSCRIPTION', `A subscription with id ${JSON.stringify(subscriptionId)} already exists on this streamer`);
  }
}
