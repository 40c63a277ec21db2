import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** A finished span as `GET /internal/traces/:traceId` serves it (JSON, snake_case like the rest of the API). */
export interface SpanView {
  trace_id: string;
  span_id: string;
  /** The parent's span id; absent for a root span. It may belong to another service. */
  parent_span_id?: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  service: string;
  /** Start, in microseconds since the epoch. */
  start_us: number;
  duration_us: number;
  status: 'unset' | 'ok' | 'error';
  status_message?: string;
  attributes: Record<string, unknown>;
  /** Spans this one is linked to (a batch of events from several traces). */
  links: { trace_id: string; span_id: string }[];
}

const KINDS: Record<SpanKind, SpanView['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/**
 * A span exporter that keeps the last `capacity` finished spans of this process in memory, so the
 * demo can collect one trace from every service and print it. Not for production: a real system
 * exports to a collector (OTLP) and looks traces up there.
 */
export class RecentSpans implements SpanExporter {
  readonly #spans: SpanView[] = [];

  constructor(readonly capacity: number) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    for (const span of spans) this.#spans.push(viewOf(span));
    if (this.#spans.length > this.capacity) this.#spans.splice(0, this.#spans.length - this.capacity);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  /** The kept spans of one trace, in the order they finished. */
  trace(traceId: string): SpanView[] {
    return this.#spans.filter((span) => span.trace_id === traceId);
  }

  shutdown(): Promise<void> {
    this.#spans.length = 0;
    return Promise.resolve();
  }
}

function viewOf(span: ReadableSpan): SpanView {
  const { traceId, spanId } = span.spanContext();
  const start = hrTimeToMicroseconds(span.startTime);
  return {
    trace_id: traceId,
    span_id: spanId,
    ...(span.parentSpanContext ? { parent_span_id: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: KINDS[span.kind],
    service: String(span.resource.attributes['service.name'] ?? 'unknown'),
    start_us: start,
    duration_us: hrTimeToMicroseconds(span.endTime) - start,
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
    ...(span.status.message ? { status_message: span.status.message } : {}),
    attributes: { ...span.attributes },
    links: span.links.map((link) => ({ trace_id: link.context.traceId, span_id: link.context.spanId })),
  };
}
