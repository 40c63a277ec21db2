import { METRIC_NAMES } from './attribute-names.js';
import { INSTRUMENTATION_SCOPE, recordError, type GaugeHandle, type Instrumentation } from './instrumentation.js';
import { otelApi, type OtelApi } from './otel-api.js';
import type { TraceContext } from './span-types.js';
import { continuedContext } from './trace-context.js';

/** Which saga a span or a log line is about. @internal */
export interface SagaInfo {
  sagaId: string;
  sagaName: string;
}

/** Marks the span of a step whose outcome is a failure (the step functions never throw to the runner). @internal */
export type FailSpan = (error: Error) => void;

const NO_SPAN: FailSpan = () => undefined;

/**
 * @internal the spans, metrics and logs of a saga coordinator. A step's span (`eventuali.saga.step`,
 * `eventuali.saga.compensate`) continues the trace the saga was started in: the one active at
 * `start()` (the event's handler, for `startOn`), or the one stored with `SagaStarted` when a
 * coordinator resumes the saga; appends inside the step are its children.
 *
 * `eventuali.sagas` is an observable gauge of the sagas in the store by status and name, read
 * from the coordinator's saga index when the metrics are collected. A gauge rather than an
 * up/down counter: a saga's status lives in the store, and other processes (or this one before a
 * restart) start and end sagas too; a counter would count only what this process saw. Every
 * coordinator reports the store's totals: aggregate them with max, not sum.
 */
export class SagaTelemetry {
  readonly #instrumentation: Instrumentation;
  readonly #gauge: GaugeHandle;

  constructor(instrumentation: Instrumentation, sagas: () => Promise<readonly { name: string; status: string }[]>) {
    this.#instrumentation = instrumentation;
    this.#gauge = instrumentation.observableGauge(METRIC_NAMES.sagas, { description: 'Sagas in the store, by status and name', unit: '{saga}' }, async (observe) => {
      const counts = new Map<string, { name: string; status: string; count: number }>();
      for (const { name, status } of await sagas()) {
        const key = `${status}\u0000${name}`;
        const entry = counts.get(key);
        if (entry) entry.count += 1;
        else counts.set(key, { name, status, count: 1 });
      }
      for (const { name, status, count } of counts.values()) observe(count, { 'eventuali.saga.status': status, 'eventuali.saga.name': name });
    });
  }

  /** Registers the sagas gauge on a meter provider registered since (cheap when none was). */
  refresh(): void {
    this.#gauge.refresh();
  }

  close(): void {
    this.#gauge.remove();
  }

  /**
   * Runs a step (or its compensation) and the save of its outcome in a span; `fn` marks the span
   * failed through its argument when the step failed after its retries.
   */
  async step<T>(kind: 'step' | 'compensate', info: SagaInfo & { step: string }, trace: TraceContext | undefined, fn: (fail: FailSpan) => Promise<T>): Promise<T> {
    if (!this.#instrumentation.tracing) return fn(NO_SPAN);
    const api = otelApi() as OtelApi;
    const { parent, links } = trace === undefined ? { parent: api.context.active(), links: undefined } : continuedContext(api, [{ ...trace }]);
    const span = api.trace.getTracer(INSTRUMENTATION_SCOPE).startSpan(
      kind === 'step' ? 'eventuali.saga.step' : 'eventuali.saga.compensate',
      {
        kind: api.SpanKind.INTERNAL,
        attributes: {
          'eventuali.saga.id': info.sagaId,
          'eventuali.saga.name': info.sagaName,
          'eventuali.saga.step': info.step,
        },
        ...(links === undefined ? {} : { links }),
      },
      parent,
    );
    try {
      return await api.context.with(api.trace.setSpan(parent, span), fn, undefined, (error: Error) => recordError(api, span, error));
    } catch (error) {
      recordError(api, span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** A step failed after its retries: the saga compensates. */
  stepFailed(info: SagaInfo & { step: string; attempts: number }, error: Error): void {
    this.#instrumentation.log('warn', { ...info, err: error }, 'saga step failed; compensating');
  }

  /** A compensation failed after its retries: the saga ends failed. */
  compensationFailed(info: SagaInfo & { step: string }, error: Error): void {
    this.#instrumentation.log('error', { ...info, err: error }, 'saga compensation failed; the saga failed');
  }

  /** This coordinator resumed a saga another one (or this process before a restart) left unfinished. */
  resumed(info: SagaInfo & { owner: string; previousOwner: string; stepsCompleted: number }): void {
    this.#instrumentation.log('info', info, 'saga resumed');
  }

  /** The coordinator's 'error' event, logged too (its listeners hear it as before). */
  error(error: Error, sagaId: string): void {
    this.#instrumentation.log('error', sagaId === '' ? { err: error } : { sagaId, err: error }, 'saga coordinator error');
  }
}

/** The trace context stored in a saga's SagaStarted metadata, if any. @internal */
export function storedTraceContext(metadata: { readonly [key: string]: unknown }): TraceContext | undefined {
  const { traceparent, tracestate } = metadata;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

