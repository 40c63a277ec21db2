import type { SpanView } from '../shared/recent-spans.js';
import type { JourneyOutcome } from './journey.js';
import { buildTree, collectTrace, formatTree, withoutSpans } from './trace-tree.js';

/** Spans the printed tree leaves out: the reads every step makes (counted, not shown). */
const READS = new Set(['eventuali.load', 'eventuali.read_all']);

/**
 * The demo's last step: the trace of the confirmed order, from the gateway's request through the
 * order service's append, the saga's steps and the other services' handlers, as an indented tree.
 */
export async function printTrace(serviceUrls: readonly string[], outcome: JourneyOutcome): Promise<SpanView[]> {
  console.log(`\nThe trace of the confirmed order ${outcome.confirmedOrderId.slice(0, 8)}…`);
  const traceId = outcome.confirmedOrderTraceId;
  if (traceId === null) {
    console.log('   (no traceresponse header from the gateway: the services run without an OpenTelemetry tracer provider)');
    return [];
  }
  const spans = await collectTrace(serviceUrls, traceId, { complete: (found) => new Set(found.map((s) => s.service)).size >= 4 });
  const shown = withoutSpans(spans, (span) => READS.has(span.name));
  console.log(`   trace id ${traceId}: ${spans.length} spans from ${new Set(spans.map((s) => s.service)).size} services (${spans.length - shown.length} reads not shown)\n`);
  for (const line of formatTree(buildTree(shown))) console.log(`   ${line}`);
  return spans;
}
