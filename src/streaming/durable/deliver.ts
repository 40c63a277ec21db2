import { randomUUID } from 'node:crypto';
import type { Aggregate } from '../../core/aggregate.js';
import { causedBy, stampMetadata } from '../../core/causation.js';
import { isEventualiError } from '../../core/errors.js';
import type { Event, EventMetadata } from '../../core/event.js';
import type { EventRecord } from '../../store/event-log.js';
import type { DeadLetterRecord } from '../../store/coordination.js';
import type { DurableSubscription } from './durable-subscription.js';
import { RetryFromCheckpoint, toError } from './subscription-errors.js';
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

/**
 * What a handler gets. A class, so that no closure is made per event when the handler does not
 * save; `save` is made on first use, bound, so `const { save } = ctx` works.
 */
class SubscriptionHandlerContext implements HandlerContext {
  readonly metadata: EventMetadata;
  readonly #host: SubscriptionHost;

  constructor(readonly subscriptionId: string, event: Event, readonly attempt: number, host: SubscriptionHost) {
    this.metadata = causedBy(event);
    this.#host = host;
  }

  get save(): (aggregate: Aggregate) => Promise<Event[]> {
    const { metadata } = this;
    const host = this.#host;
    return (aggregate) => {
      stampMetadata(aggregate, metadata);
      return host.save(aggregate);
    };
  }
}

export function handlerContext(subscriptionId: string, event: Event, attempt: number, host: SubscriptionHost): HandlerContext {
  return new SubscriptionHandlerContext(subscriptionId, event, attempt, host);
}

/** Runs the handler (or a projection's transaction) for one event: a value when it finished synchronously, or a promise. */
export type Invoke = (event: Event, attempt: number) => unknown;

const HANDLED: DeliveryOutcome = Object.freeze({ kind: 'handled' });

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Decodes and hands one event to `invoke`, retrying with backoff, then parks or stops. A handler
 * that returns without a promise is handled synchronously: no promise is made per event, which is
 * most of a catch-up's cost with a cheap handler.
 */
export function deliverWithRetries(
  subscription: DurableSubscription,
  host: SubscriptionHost,
  record: EventRecord,
  control: DeliveryControl,
  invoke: Invoke,
): DeliveryOutcome | Promise<DeliveryOutcome> {
  let event: Event;
  try {
    event = host.registry.decode(record);
  } catch (error) {
    // A row that does not decode will not decode on a retry either.
    return giveUp(subscription, host, record, toError(error), 1, control.park ?? true);
  }
  let result: unknown;
  try {
    result = invoke(event, 1);
    if (!isThenable(result)) return HANDLED;
  } catch (thrown) {
    return retryAfterFailure(subscription, host, record, event, control, invoke, thrown);
  }
  return Promise.resolve(result).then(
    () => HANDLED,
    (thrown: unknown) => retryAfterFailure(subscription, host, record, event, control, invoke, thrown),
  );
}

/** After the first attempt failed with `firstError`: the retries, then parks or stops. */
async function retryAfterFailure(
  subscription: DurableSubscription,
  host: SubscriptionHost,
  record: EventRecord,
  event: Event,
  control: DeliveryControl,
  invoke: Invoke,
  firstError: unknown,
): Promise<DeliveryOutcome> {
  const { options } = subscription;
  const park = control.park ?? true;
  let thrown = firstError;
  for (let attempt = 1; ; attempt++) {
    const error = toError(thrown);
    const retryHere = attempt < control.attempts;
    // The store could not be reached: not the event's fault, so it is never parked or stopped
    // on; the subscription reads it again from its checkpoint once the store answers.
    const retryFromCheckpoint = !retryHere && park && isEventualiError(error, 'CONNECTION');
    subscription.emitError(error, { event, attempt, willRetry: retryHere || retryFromCheckpoint });
    if (retryFromCheckpoint) throw new RetryFromCheckpoint(error);
    if (!retryHere) return giveUp(subscription, host, record, error, attempt, park);
    await control.sleep(Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (attempt - 1)));
    if (control.isStopping()) return { kind: 'stopping' };
    try {
      await invoke(event, attempt + 1);
      return HANDLED;
    } catch (next) {
      thrown = next;
    }
  }
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
