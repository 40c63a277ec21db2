import { describeValue, EventualiError } from '../../core/errors.js';

/** A durable subscription could not do what was asked (duplicate id, not started, stopped). */
export class SubscriptionError extends EventualiError {
  constructor(readonly subscriptionId: string, message: string, options?: { cause?: unknown }) {
    super('SUBSCRIPTION', `Subscription ${JSON.stringify(subscriptionId)}: ${message}`, options);
  }
}

/**
 * A consumer group was started with another partition count than the one its instances already
 * use. Nothing was written. To change the count, stop every instance and start the group under a
 * new id (see docs/streaming.md, "Changing the partition count").
 */
export class GroupPartitionsChangedError extends EventualiError {
  constructor(
    readonly groupId: string,
    readonly storedPartitions: number,
    readonly requestedPartitions: number,
  ) {
    super(
      'GROUP_PARTITIONS_CHANGED',
      `Consumer group ${JSON.stringify(groupId)} has ${storedPartitions} partitions; it cannot be started with ${requestedPartitions}`,
    );
  }
}

/** @internal thrown inside a projection's transaction when the lease was lost, to roll it back. */
export class LeaseLostError extends SubscriptionError {
  constructor(subscriptionId: string) {
    super(subscriptionId, 'another instance took over the lease');
  }
}

/** Wraps whatever a handler threw (a string, an object) into an Error, keeping it as `cause`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle, a bigint inside, or an object without a prototype (String() throws on it).
    text = describeValue(value);
  }
  return new Error(`non-Error thrown: ${text}`, { cause: value });
}

/** @internal thrown by a delivery to end the subscription (`onError: 'stop'`). */
export class StopDelivery extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/**
 * @internal thrown by a delivery when the store could not be reached: the event is not parked (the
 * handler did not reject it), the subscription reads again from its checkpoint once the store is back.
 * Already reported through the 'error' event.
 */
export class RetryFromCheckpoint extends Error {
  constructor(readonly reason: Error) {
    super(reason.message, { cause: reason });
  }
}
