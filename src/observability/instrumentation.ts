/**
 * The store's observability: OpenTelemetry tracing and metrics, and the application's logger.
 *
 * One `Instrumentation` is built per store from its `{ tracing, metrics, logger, onWarning }`
 * options and handed to every layer that reports (the store facade, subscriptions, projections,
 * sagas). Call sites use only these functions:
 *
 * - `span(name, start, fn)`: runs `fn` in a span (kind, attributes, and with `start.from` the
 *   metadata of the events it handles, to continue their traces); an error thrown by `fn` is
 *   recorded on the span (status ERROR, `recordException`, `error.type`) and rethrown. `fn` gets
 *   the span, or `undefined` when there is none: compute costly attributes only when it is there.
 * - `traceContext()`: the active W3C trace context to store in an appended event's metadata.
 * - `counter(name, options)`, `histogram(name, options)`: recorders made once (at setup, not per
 *   call), `record(value, attributes)` per measurement; `observableGauge(name, options, callback)`.
 * - `tracing` / `metrics`: whether spans / measurements are taken right now; check them before
 *   building attributes or reading the clock on a hot path.
 * - `log(level, fields, message)` and `warn(message, error, fields)`: the logger, and the
 *   warning path (the logger at `warn`, `onWarning`, else a process warning).
 *
 * `@opentelemetry/api` is optional: not installed, or installed with no provider registered, and
 * every function above does nothing and allocates nothing per call (one global property read).
 * The check is made on every call, so an application that registers its provider after creating
 * the store gets spans and metrics from then on.
 */
import type { Meter, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { isEventualiError } from '../core/errors.js';
import { SPAN_ATTRIBUTES as ATTR } from './attribute-names.js';
import type { Logger, LogLevel } from './logger.js';
import { LazyGauge, LazyRecorder, type MeterSource } from './metric-instruments.js';
import { otelApi, registered, type OtelApi } from './otel-api.js';
import type { GaugeCallback, MetricOptions, MetricRecorder, SpanStart, TraceContext, TraceSpan } from './span-types.js';
import { activeTraceContext, continuedContext } from './trace-context.js';

/** The instrumentation scope name of eventuali's spans and metrics. */
export const INSTRUMENTATION_SCOPE = 'eventuali';

/**
 * A store's observability options. Tracing and metrics are on when `@opentelemetry/api` is
 * installed and the application registered a provider; `false` turns them off.
 *
 * @example
 * const store = await EventStore.create(url, { logger: pino(), metrics: false });
 */
export interface ObservabilityOptions {
  /** Spans, and the trace context stored in appended events' metadata (default true). */
  tracing?: boolean;
  /** Counters, histograms and gauges (default true). */
  metrics?: boolean;
  /** A pino-compatible logger: warnings, and what subscriptions and sagas report, with structured fields. */
  logger?: Logger;
}

/** What `Instrumentation` is built from: the store's observability options and its `onWarning`. */
export interface InstrumentationOptions {
  tracing?: boolean | undefined;
  metrics?: boolean | undefined;
  logger?: Logger | undefined;
  onWarning?: ((message: string, error: unknown) => void) | undefined;
}

/** A gauge registered with `observableGauge`. */
export interface GaugeHandle {
  /** Registers it with a meter provider registered since it was made (cheap when none changed). */
  refresh(): void;
  /** Stops reporting it. */
  remove(): void;
}

const SPAN_KINDS = { internal: 0, server: 1, client: 2, producer: 3, consumer: 4 } as const;

/**
 * A store's tracing, metrics and logger (see the top of this file), for code built on the store:
 * `store.instrumentation.span(...)`, `.counter(...)`, `.log(...)`. Every function is a no-op
 * without a registered provider or a logger.
 *
 * @example
 * const processed = store.instrumentation.counter('app.orders.processed', { unit: '{order}' });
 * await store.instrumentation.span('app.process_order', { kind: 'consumer', from: [event.metadata] }, async () => {
 *   processed.record(1);
 * });
 */
export class Instrumentation {
  /** The application's logger, if it gave one. */
  readonly logger: Logger | undefined;
  readonly #tracingOption: boolean;
  readonly #metricsOption: boolean;
  readonly #onWarning: ((message: string, error: unknown) => void) | undefined;
  #tracerDelegate: TracerProvider | undefined;
  #tracer: Tracer | undefined;
  #meterProvider: unknown;
  #meter: Meter | undefined;
  #generation = 0;
  /** What counters, histograms and gauges get their meter from. */
  readonly #source: MeterSource = {
    meter: () => this.#currentMeter(),
    generation: () => this.#generation,
  };

  constructor(options: InstrumentationOptions = {}) {
    this.#tracingOption = options.tracing ?? true;
    this.#metricsOption = options.metrics ?? true;
    this.logger = options.logger;
    this.#onWarning = options.onWarning;
  }

  /** True when spans are being made right now (tracing on, a tracer provider registered, the API installed). */
  get tracing(): boolean {
    return this.#tracingOption && registered('trace') && otelApi() !== null;
  }

  /** True when measurements are being recorded right now. */
  get metrics(): boolean {
    return this.#metricsOption && registered('metrics') && otelApi() !== null;
  }

  /**
   * Runs `fn` in a new active span; errors are recorded on it and rethrown. With tracing off or
   * no provider, runs `fn(undefined)` and nothing else.
   */
  span<T>(name: string, start: SpanStart | undefined, fn: (span: TraceSpan | undefined) => Promise<T>): Promise<T> {
    const tracer = this.#currentTracer();
    if (tracer === undefined) return fn(undefined);
    const api = otelApi() as OtelApi;
    let parent = api.context.active();
    let links;
    if (start?.from !== undefined && start.from.length > 0) ({ parent, links } = continuedContext(api, start.from));
    const options = {
      kind: SPAN_KINDS[start?.kind ?? 'internal'],
      ...(start?.attributes === undefined ? {} : { attributes: start.attributes }),
      ...(links === undefined ? {} : { links }),
    };
    return tracer.startActiveSpan(name, options, parent, async (span: Span) => {
      try {
        return await fn(span);
      } catch (error) {
        recordError(api, span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** The active trace context to store with an appended event; undefined when there is none. */
  traceContext(): TraceContext | undefined {
    if (this.#currentTracer() === undefined) return undefined;
    return activeTraceContext(otelApi() as OtelApi);
  }

  /** A counter (made on the meter provider when there is one); `record(n)` adds `n`. */
  counter(name: string, options: MetricOptions = {}): MetricRecorder {
    return new LazyRecorder(this.#source, 'counter', name, options);
  }

  /** A histogram (made on the meter provider when there is one). */
  histogram(name: string, options: MetricOptions = {}): MetricRecorder {
    return new LazyRecorder(this.#source, 'histogram', name, options);
  }

  /**
   * An observable gauge: the SDK calls `callback` on each collection. Registered with the meter
   * provider of the moment; `refresh()` (cheap) picks up a provider registered later.
   */
  observableGauge(name: string, options: MetricOptions, callback: GaugeCallback): GaugeHandle {
    const gauge = new LazyGauge(name, options, callback);
    const refresh = (): void => {
      this.#currentMeter();
      gauge.sync(this.#source);
    };
    refresh();
    return { refresh, remove: () => gauge.remove() };
  }

  /** The meter of the registered provider; undefined with metrics off or none registered. */
  #currentMeter(): Meter | undefined {
    if (!this.metrics) {
      if (this.#meterProvider !== undefined) this.#changeMeter(undefined, undefined);
      return undefined;
    }
    const provider = (otelApi() as OtelApi).metrics.getMeterProvider();
    if (provider !== this.#meterProvider) this.#changeMeter(provider, provider.getMeter(INSTRUMENTATION_SCOPE));
    return this.#meter;
  }

  /** Logs through the application's logger; nothing without one. A throwing logger is ignored. */
  log(level: LogLevel, fields: object, message: string): void {
    const logger = this.logger;
    if (logger === undefined) return;
    try {
      logger[level](fields, message);
    } catch {
      // Logging must never fail the operation it reports on.
    }
  }

  /**
   * What the store cannot throw to a caller: logged at `warn` (with `err` and `fields`), passed to
   * `onWarning`; with neither, a process warning, so it is never silent.
   */
  warn(message: string, error: unknown, fields?: object): void {
    if (this.logger !== undefined) this.log('warn', { ...fields, err: error }, message);
    if (this.#onWarning !== undefined) this.#onWarning(message, error);
    else if (this.logger === undefined) process.emitWarning(`eventuali: ${message}: ${String(error)}`);
  }

  #changeMeter(provider: unknown, meter: Meter | undefined): void {
    this.#meterProvider = provider;
    this.#meter = meter;
    this.#generation++;
  }

  #currentTracer(): Tracer | undefined {
    if (!this.tracing) return undefined;
    const provider = (otelApi() as OtelApi).trace.getTracerProvider();
    // The registered provider is the API's proxy: the tracer comes from what it delegates to now.
    const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
    if (delegate !== this.#tracerDelegate) {
      this.#tracerDelegate = delegate;
      this.#tracer = delegate.getTracer(INSTRUMENTATION_SCOPE);
    }
    return this.#tracer;
  }
}

/** The `error.type` of a failure: the eventuali error code, else the error's class name. */
export function errorType(error: unknown): string {
  return isEventualiError(error) ? error.code : error instanceof Error ? error.name : typeof error;
}

/** @internal records a failure on the span: the exception, `error.type` (the eventuali code, else the class name), status ERROR. */
export function recordError(api: OtelApi, span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setAttribute(ATTR.errorType, errorType(error));
  span.setStatus({ code: api.SpanStatusCode.ERROR, message });
}
