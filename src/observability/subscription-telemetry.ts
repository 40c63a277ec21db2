import type { Event } from '../core/event.js';
import type { EventRecord } from '../core/event-record.js';
import { SPAN_ATTRIBUTES as ATTR } from './attribute-names.js';
import { producerLinks } from './batch-links.js';
import type { HandlerMetrics, LagSource } from './handler-metrics.js';
import { errorType, INSTRUMENTATION_SCOPE, recordError, type Instrumentation } from './instrumentation.js';
import { otelApi, type OtelApi } from './otel-api.js';
import type { TelemetryAttributes as Attributes } from './span-types.js';

/** Runs a handler for one event: a value when it finished synchronously, or a promise. @internal */
export type InvokeHandler = (event: Event, attempt: number) => unknown;

/** What runs durable deliveries: a plain subscription, or a projection (its batches commit in one transaction). */
export type HandlerKind = 'subscription' | 'projection';

/** A handler slower than this is logged at warn, when the store has a logger (default 1 s). */
export const DEFAULT_SLOW_HANDLER_MS = 1000;

/** What a failure report says about the event it was on. @internal */
export interface HandlerFailure {
  event?: Event;
  attempt?: number;
  willRetry: boolean;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * @internal the spans, metrics and logs of one durable subscription or projection. Each call checks
 * whether tracing, metrics or a logger are on: with none, the handler is called as it is and the
 * batch runs as it is (nothing allocated per event), and a provider registered later is used from
 * the next event on.
 */
export class SubscriptionTelemetry {
  readonly #instrumentation: Instrumentation;
  readonly #metrics: HandlerMetrics;
  /** The attributes every span of this subscription starts with. */
  readonly #destination: Attributes;
  /** The duration metric's attributes, made once per event type. */
  readonly #durationAttributes = new Map<string, Attributes>();
  /** A projection batch's duration: one value per batch transaction, whatever its event types. */
  readonly #batchAttributes: Attributes;

  constructor(
    instrumentation: Instrumentation,
    metrics: HandlerMetrics,
    readonly id: string,
    readonly kind: HandlerKind,
    readonly slowHandlerMs: number,
  ) {
    this.#instrumentation = instrumentation;
    this.#metrics = metrics;
    this.#destination = {
      [ATTR.messagingSystem]: 'eventuali',
      [ATTR.messagingOperationType]: 'process',
      [ATTR.messagingOperationName]: kind === 'projection' ? 'project' : 'handle',
      [ATTR.messagingDestination]: id,
    };
    this.#batchAttributes = { 'eventuali.subscription.id': id };
  }

  /** The handler call, in a span continuing the event's producing trace, timed and logged when slow. */
  wrapInvoke(invoke: InvokeHandler): InvokeHandler {
    const instrumentation = this.#instrumentation;
    return (event, attempt) => {
      if (instrumentation.tracing) return this.#traced(invoke, event, attempt);
      if (!instrumentation.metrics && instrumentation.logger === undefined) return invoke(event, attempt);
      const started = performance.now();
      let result: unknown;
      try {
        result = invoke(event, attempt);
      } catch (error) {
        this.#finished(event, started, error);
        throw error;
      }
      if (!isThenable(result)) {
        this.#finished(event, started, undefined);
        return result;
      }
      return Promise.resolve(result).then(
        (value) => {
          this.#finished(event, started, undefined);
          return value;
        },
        (error: unknown) => {
          this.#finished(event, started, error);
          throw error;
        },
      );
    };
  }

  /**
   * Delivers a batch in an `eventuali.subscription.batch` (or `eventuali.projection.batch`) span:
   * its own trace (not the one start() was called in), linked to each trace its events were
   * appended in.
   */
  async batch(records: readonly EventRecord[], run: () => Promise<void>): Promise<void> {
    const instrumentation = this.#instrumentation;
    // A meter provider registered since the last batch gets the lag gauges from now on.
    this.#metrics.refresh();
    const timed = this.kind === 'projection' && instrumentation.metrics;
    if (!instrumentation.tracing) {
      if (!timed) return run();
      const started = performance.now();
      try {
        return await run();
      } finally {
        this.#metrics.duration.record((performance.now() - started) / 1000, this.#batchAttributes);
      }
    }
    const api = otelApi() as OtelApi;
    const first = records[0];
    const last = records.at(-1);
    const span = api.trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(
      this.kind === 'projection' ? 'eventuali.projection.batch' : 'eventuali.subscription.batch',
      {
        kind: api.SpanKind.CONSUMER,
        attributes: {
          ...this.#destination,
          [ATTR.messagingBatchCount]: records.length,
          ...(first && last ? { [ATTR.positionFirst]: Number(first.globalPosition), [ATTR.positionLast]: Number(last.globalPosition) } : {}),
        },
        links: producerLinks(api, records),
      },
      api.ROOT_CONTEXT,
    );
    const started = performance.now();
    try {
      await api.context.with(api.trace.setSpan(api.ROOT_CONTEXT, span), run);
    } catch (error) {
      recordError(api, span, error);
      throw error;
    } finally {
      if (timed) this.#metrics.duration.record((performance.now() - started) / 1000, this.#batchAttributes);
      span.end();
    }
  }

  /** This instance took the lease: logs it, and reports the lag of `source` from now on. */
  leaseAcquired(owner: string, source: LagSource): void {
    this.#metrics.watch(source);
    this.#instrumentation.log('info', { subscriptionId: this.id, kind: this.kind, owner }, 'lease acquired');
  }

  /** This instance no longer holds the lease: `lost` when another took it or renewing failed, else given up. */
  leaseEnded(owner: string, source: LagSource, lost: boolean): void {
    this.#metrics.unwatch(source);
    if (lost) this.#instrumentation.log('warn', { subscriptionId: this.id, kind: this.kind, owner }, 'lease lost');
    else this.#instrumentation.log('info', { subscriptionId: this.id, kind: this.kind, owner }, 'lease released');
  }

  /** A failure no listener heard: the store's warning path (the logger at warn with these fields, `onWarning`, else a process warning). */
  warn(message: string, error: Error, info: HandlerFailure): void {
    this.#instrumentation.warn(message, error, this.#failureFields(info));
  }

  #failureFields(info: HandlerFailure): object {
    const { event, attempt, willRetry } = info;
    return {
      subscriptionId: this.id,
      kind: this.kind,
      ...(event
        ? { eventId: event.eventId, eventType: event.eventType, aggregateId: event.aggregateId, position: event.globalPosition.toString(), attempt: attempt ?? 1 }
        : {}),
      willRetry,
    };
  }

  /** Logs a failure that listeners heard (with no listener, the store's warning path reports it). */
  failed(error: Error, info: HandlerFailure): void {
    if (this.#instrumentation.logger === undefined) return;
    const message = info.event ? (info.willRetry ? 'handler failed; retrying' : 'handler failed; giving up') : info.willRetry ? 'subscription failed; retrying' : 'subscription failed';
    this.#instrumentation.log(info.willRetry ? 'warn' : 'error', { ...this.#failureFields(info), err: error }, message);
  }

  /** An event was parked as a dead letter: counted, and logged at error. */
  deadLettered(letter: { globalPosition: bigint; eventId: string; eventType: string; error: string; attempts: number }): void {
    this.#metrics.deadLetters.record(1, this.#batchAttributes);
    this.#instrumentation.log(
      'error',
      {
        subscriptionId: this.id,
        kind: this.kind,
        position: letter.globalPosition.toString(),
        eventId: letter.eventId,
        eventType: letter.eventType,
        attempts: letter.attempts,
        error: letter.error,
      },
      'event parked as a dead letter',
    );
  }

  #traced(invoke: InvokeHandler, event: Event, attempt: number): Promise<unknown> {
    const started = performance.now();
    const span = this.#instrumentation.span(
      'eventuali.subscription.handle',
      { kind: 'consumer', attributes: this.#handleAttributes(event, attempt), from: [event.metadata] },
      async () => invoke(event, attempt),
    );
    return span.then(
      (value) => {
        this.#finished(event, started, undefined);
        return value;
      },
      (error: unknown) => {
        this.#finished(event, started, error);
        throw error;
      },
    );
  }

  #handleAttributes(event: Event, attempt: number): Attributes {
    return {
      ...this.#destination,
      'messaging.message.id': event.eventId,
      [ATTR.eventType]: event.eventType,
      [ATTR.aggregateType]: event.aggregateType,
      [ATTR.aggregateId]: event.aggregateId,
      'eventuali.position': Number(event.globalPosition),
      'eventuali.attempt': attempt,
    };
  }

  #finished(event: Event, started: number, error: unknown): void {
    const ms = performance.now() - started;
    const base = this.#durationAttributesOf(event.eventType);
    this.#metrics.duration.record(ms / 1000, error === undefined ? base : { ...base, [ATTR.errorType]: errorType(error) });
    if (ms >= this.slowHandlerMs && this.#instrumentation.logger !== undefined) {
      this.#instrumentation.log(
        'warn',
        {
          subscriptionId: this.id,
          kind: this.kind,
          eventId: event.eventId,
          eventType: event.eventType,
          position: event.globalPosition.toString(),
          durationMs: Math.round(ms),
          slowHandlerMs: this.slowHandlerMs,
        },
        'slow handler',
      );
    }
  }

  #durationAttributesOf(eventType: string): Attributes {
    let attributes = this.#durationAttributes.get(eventType);
    if (!attributes) {
      attributes = { 'eventuali.subscription.id': this.id, [ATTR.eventType]: eventType };
      this.#durationAttributes.set(eventType, attributes);
    }
    return attributes;
  }
}

