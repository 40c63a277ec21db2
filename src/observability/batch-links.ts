import type { Link } from '@opentelemetry/api';
import type { EventRecord } from '../core/event-record.js';
import type { OtelApi } from './otel-api.js';

// JSON text as the adapter returns it: compact (SQLite) or with a space after the colon (jsonb).
const TRACEPARENT = /"traceparent":\s*"([0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"/;
const TRACESTATE = /"tracestate":\s*"([^"\\]*)"/;
/** Links a batch span carries at most (the SDK's default limit). */
const MAX_LINKS = 128;

/**
 * @internal one link per distinct trace among the stored events' producers (to the first producing
 * span of each, through the registered propagator), read from the metadata text without parsing
 * the rest of it: a batch span links to every trace whose events it delivers.
 */
export function producerLinks(api: OtelApi, records: readonly EventRecord[]): Link[] {
  const links: Link[] = [];
  const traces = new Set<string>();
  for (const record of records) {
    if (!record.metadata.includes('"traceparent"')) continue;
    const traceparent = TRACEPARENT.exec(record.metadata)?.[1];
    if (traceparent === undefined) continue;
    const tracestate = TRACESTATE.exec(record.metadata)?.[1];
    const carrier: Record<string, string> = tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
    const context = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, carrier));
    if (context === undefined || !api.isSpanContextValid(context) || traces.has(context.traceId)) continue;
    traces.add(context.traceId);
    links.push({ context, attributes: { 'eventuali.position': Number(record.globalPosition) } });
    if (links.length === MAX_LINKS) break;
  }
  return links;
}
