import type { Context, Link, SpanContext } from '@opentelemetry/api';
import type { OtelApi } from './otel-api.js';
import type { TraceContext } from './span-types.js';

/** More links than this on one span is noise (and the SDK's default limit is 128). */
const MAX_LINKS = 128;

/**
 * @internal the active context as the registered propagator writes it, keeping the W3C keys;
 * undefined when there is no valid active span or the propagator wrote no `traceparent`.
 */
export function activeTraceContext(api: OtelApi): TraceContext | undefined {
  const active = api.context.active();
  const span = api.trace.getSpan(active);
  if (span === undefined || !api.isSpanContextValid(span.spanContext())) return undefined;
  const carrier: Record<string, string> = {};
  api.propagation.inject(active, carrier);
  const { traceparent, tracestate } = carrier;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' && tracestate !== '' ? { traceparent, tracestate } : { traceparent };
}

/** @internal the span context a stored trace context carries, through the registered propagator. */
function extractSpanContext(api: OtelApi, metadata: { readonly [key: string]: unknown }): SpanContext | undefined {
  const { traceparent, tracestate } = metadata;
  if (typeof traceparent !== 'string') return undefined;
  const carrier: Record<string, string> = typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
  const spanContext = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, carrier));
  return spanContext !== undefined && api.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * @internal the parent context and links of a span that handles events with this metadata: the
 * one producing span as parent, or (several) a link to each, under the active context.
 */
export function continuedContext(
  api: OtelApi,
  metadatas: readonly { readonly [key: string]: unknown }[],
): { parent: Context; links: Link[] | undefined } {
  const active = api.context.active();
  let first: SpanContext | undefined;
  let links: Link[] | undefined;
  const seen = new Set<string>();
  for (const metadata of metadatas) {
    const spanContext = extractSpanContext(api, metadata);
    if (spanContext === undefined) continue;
    const key = `${spanContext.traceId}-${spanContext.spanId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (first === undefined) {
      first = spanContext;
      continue;
    }
    links ??= [{ context: first }];
    if (links.length < MAX_LINKS) links.push({ context: spanContext });
  }
  if (first === undefined) return { parent: active, links: undefined };
  if (links !== undefined) return { parent: active, links };
  return { parent: api.trace.setSpanContext(active, first), links: undefined };
}
