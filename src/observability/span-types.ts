/**
 * The shapes call sites and applications see, declared here so that eventuali's public types do
 * not import `@opentelemetry/api` (an optional peer dependency). They are subsets of the API's.
 */

/** An attribute value, as OpenTelemetry takes it. */
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** Span or metric attributes; `undefined` values are left out. */
export type TelemetryAttributes = Record<string, AttributeValue | undefined>;

/** OpenTelemetry's span kinds, by name. */
export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** The part of an OpenTelemetry span that the code inside `instrumentation.span()` uses. */
export interface TraceSpan {
  setAttribute(key: string, value: AttributeValue): unknown;
  setAttributes(attributes: TelemetryAttributes): unknown;
  addEvent(name: string, attributes?: TelemetryAttributes): unknown;
  isRecording(): boolean;
  spanContext(): { traceId: string; spanId: string };
}

/** The W3C trace context stored in an event's metadata on append. */
export type { StoredTraceContext as TraceContext } from '../core/trace-metadata.js';

/** How `instrumentation.span()` starts a span. */
export interface SpanStart {
  /** Default `'internal'`. */
  kind?: SpanKindName;
  /** Set when the span starts (samplers see them). */
  attributes?: TelemetryAttributes;
  /**
   * The metadata of the events this span handles: the span continues the trace they carry, as a
   * child of the producing span when they carry one context, with a link to each when several.
   * Events without a trace context are ignored; none with one, and the span is a child of the
   * active context as usual.
   */
  from?: readonly { readonly [key: string]: unknown }[];
}

/** A counter or histogram: records nothing while metrics are off or no meter provider is registered. */
export interface MetricRecorder {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** An observable gauge's callback: reports the current values (the collection awaits a promise it returns). */
export type GaugeCallback = (observe: (value: number, attributes?: TelemetryAttributes) => void) => void | Promise<void>;

/** Options of a metric instrument (OpenTelemetry's names). */
export interface MetricOptions {
  description?: string;
  /** UCUM unit, such as `s` or `{event}`. */
  unit?: string;
  /** Histogram bucket boundaries (an advice to the SDK; views override it). */
  boundaries?: readonly number[];
}
