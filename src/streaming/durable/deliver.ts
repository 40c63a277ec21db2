import { randomUUID } from 'node:crypto';
import type { Aggregate } from '../../core/aggregate.js';
import { causedBy, stampMetadata } from '../../core/causation.js';
import { isEventualiError } from '../../core/errors.js';
import type { Event, EventMetadata } from '../../core/event.js';
import type { EventRecord } from '../../store/event-log.js';
import type { DeadLetterRecord } from '../../store/coordination.js';
import type { DeliveryContext, DeliveryOutcome, Invoke } from './delivery-context.js';
import { RetryFromCheckpoint, toError } from './subscription-errors.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { HandlerContext } from './subscription-options.js';

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
  ctx: DeliveryContext,
  record: EventRecord,
  control: DeliveryControl,
  invoke: Invoke,
): DeliveryOutcome | Promise<DeliveryOutcome> {
  let event: Event;
  try {
    event = ctx.host.registry.decode(record);
  } catch (error) {
    // A row that does not decode will not decode on a retry either.
    return giveUp(ctx, record, toError(error), 1, control.park ?? true);
  }
  let result: unknown;
  try {
    result = invoke(event, 1);
    if (!isThenable(result)) return HANDLED;
  } catch (thrown) {
    return retryAfterFailure(ctx, record, event, control, invoke, thrown);
  }
  return Promise.resolve(result).then(
    () => HANDLED,
    (thrown: unknown) => retryAfterFailure(ctx, record, event, control, invoke, thrown),
  );
}

/** After the first attempt failed with `firstError`: the retries, then parks or stops. */
async function retryAfterFailure(
  ctx: DeliveryContext,
  record: EventRecord,
  event: Event,
  control: DeliveryControl,
  invoke: Invoke,
  firstError: unknown,
): Promise<DeliveryOutcome> {
  const { options } = ctx;
  const park = control.park ?? true;
  let thrown = firstError;
  for (let attempt = 1; ; attempt++) {
    const error = toError(thrown);
    const retryHere = attempt < control.attempts;
    // The store could not be reached: not the event's fault, so it is never parked or stopped
    // on; the subscription reads it again from its checkpoint once the store answers.
    const retryFromCheckpoint = !retryHere && park && isEventualiError(error, 'CONNECTION');
    ctx.reportError(error, { event, attempt, willRetry: retryHere || retryFromCheckpoint });
    if (retryFromCheckpoint) throw new RetryFromCheckpoint(error);
    if (!retryHere) return giveUp(ctx, record, error, attempt, park);
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
  ctx: DeliveryContext,
  record: EventRecord,
  error: Error,
  attempts: number,
  park: boolean,
): Promise<DeliveryOutcome> {
  if (!park) return { kind: 'failed', error };
  if (ctx.options.onError === 'stop') return { kind: 'stop', error };
  const letter: DeadLetterRecord = {
    id: randomUUID(),
    subscriptionId: ctx.id,
    globalPosition: record.globalPosition,
    eventId: record.eventId,
    eventType: record.eventType,
    error: `${error.name}: ${error.message}`.slice(0, 4000),
    attempts,
    failedAt: new Date(),
  };
  await ctx.host.adapter.addDeadLetter(letter);
  ctx.reportDeadLetter(letter);
  return { kind: 'dead-lettered', record: letter };
}
