import { randomUUID } from 'node:crypto';
import type { Aggregate } from '../../core/aggregate.js';
import type { Event, EventMetadata } from '../../core/event.js';
import type { EventRecord } from '../../store/adapter.js';
import type { DeadLetterRecord } from '../../store/subscription-storage.js';
import type { DurableSubscription } from './durable-subscription.js';
import { toError } from './subscription-errors.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { HandlerContext } from './subscription-options.js';

/** What became of one event. */
export type DeliveryOutcome =
  | { kind: 'handled' }
  | { kind: 'dead-lettered'; record: DeadLetterRecord }
  /** Gave up, and the subscription's `onError` is 'stop'. */
  | { kind: 'stop'; error: Error }
  /** Gave up, and parking was not asked for (a dead-letter replay). */
  | { kind: 'failed'; error: Error }
  /** stop() was called while the event waited for a retry: it is not handled. */
  | { kind: 'stopping' };

export interface DeliveryControl {
  attempts: number;
  /** Park the event in the dead-letter table after the last attempt (default per onError). */
  park?: boolean;
  isStopping(): boolean;
  sleep(ms: number): Promise<void>;
}

/** Metadata for events caused by `event`: same correlation id, `event` as the cause. */
export function causedBy(event: Event): EventMetadata {
  const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.eventId;
  return { correlationId, causationId: event.eventId };
}

/** Stamps correlation and causation ids on the aggregate's new events that have none. */
export function stampMetadata(aggregate: Aggregate, metadata: EventMetadata): void {
  for (const event of aggregate.getUncommittedEvents()) {
    if (event.metadata.correlationId === undefined) event.metadata = { ...metadata, ...event.metadata };
  }
}

export function handlerContext(subscriptionId: string, event: Event, attempt: number, host: SubscriptionHost): HandlerContext {
  const metadata = causedBy(event);
  return {
    subscriptionId,
    attempt,
    metadata,
    save: (aggregate) => {
      stampMetadata(aggregate, metadata);
      return host.save(aggregate);
    },
  };
}

/** Runs the handler (or a projection's transaction) for one event. */
export type Invoke = (event: Event, attempt: number) => Promise<unknown>;

/** Decodes and hands one event to `invoke`, retrying with backoff, then parks or stops. */
export async function deliverWithRetries(
  subscription: DurableSubscription,
  host: SubscriptionHost,
  record: EventRecord,
  control: DeliveryControl,
  invoke: Invoke,
): Promise<DeliveryOutcome> {
  const { options } = subscription;
  const park = control.park ?? true;
  let event: Event;
  try {
    event = host.registry.decode(record);
  } catch (error) {
    // A row that does not decode will not decode on a retry either.
    return giveUp(subscription, host, record, toError(error), 1, park);
  }
  let lastError = new Error('not delivered');
  for (let attempt = 1; attempt <= control.attempts; attempt++) {
    try {
      await invoke(event, attempt);
      return { kind: 'handled' };
    } catch (thrown) {
      lastError = toError(thrown);
      const willRetry = attempt < control.attempts;
      subscription.emitError(lastError, { event, attempt, willRetry });
      if (!willRetry) break;
      await control.sleep(Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1)));
      if (control.isStopping()) return { kind: 'stopping' };
    }
  }
  return giveUp(subscription, host, record, lastError, control.attempts, park);
}

async function giveUp(
  subscription: DurableSubscription,
  host: SubscriptionHost,
  record: EventRecord,
  error: Error,
  attempts: number,
  park: boolean,
): Promise<DeliveryOutcome> {
  if (!park) return { kind: 'failed', error };
  if (subscription.options.onError === 'stop') return { kind: 'stop', error };
  const letter: DeadLetterRecord = {
    id: randomUUID(),
    subscriptionId: subscription.id,
    globalPosition: record.globalPosition,
    eventId: record.eventId,
    eventType: record.eventType,
    error: `${error.name}: ${error.message}`.slice(0, 4000),
    attempts,
    failedAt: new Date(),
  };
  await host.adapter.addDeadLetter(letter);
  subscription.emit('dead-letter', letter);
  return { kind: 'dead-lettered', record: letter };
}
