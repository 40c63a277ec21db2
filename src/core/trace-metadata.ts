/** Event metadata, as this file sees it (event.ts imports this file). */
type Metadata = Record<string, unknown>;

/**
 * The metadata keys of the W3C trace context that an append stores when tracing is on. Metadata
 * schemas never see them: they are added after the schema ran on append, and taken out before it
 * runs on read (and laid back after), so a strict schema (`z.strictObject`) keeps working.
 */
export const TRACE_CONTEXT_KEYS = ['traceparent', 'tracestate'] as const;

/** The stored trace context: `traceparent`, and `tracestate` when the trace has one. */
export interface StoredTraceContext {
  traceparent: string;
  tracestate?: string;
}

/** `metadata` with the trace context laid over it; the same object when there is none. */
export function withTraceContext<M extends Metadata>(metadata: M, trace: StoredTraceContext | undefined): M {
  return trace === undefined ? metadata : { ...metadata, ...trace };
}

/**
 * Splits the trace context keys off `metadata`, for a metadata schema to check the rest: `trace`
 * is undefined (and `rest` the same object) when it has none, the common case.
 */
export function splitTraceContext(metadata: Metadata): { rest: Metadata; trace: Metadata | undefined } {
  if (!('traceparent' in metadata) && !('tracestate' in metadata)) return { rest: metadata, trace: undefined };
  const { traceparent, tracestate, ...rest } = metadata;
  const trace: Metadata = {};
  if (traceparent !== undefined) trace.traceparent = traceparent;
  if (tracestate !== undefined) trace.tracestate = tracestate;
  return { rest, trace };
}
