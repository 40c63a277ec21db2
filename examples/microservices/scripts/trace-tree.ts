import type { SpanView } from '../shared/recent-spans.js';

/** A span and the spans whose parent it is, by start time. */
export interface SpanNode {
  span: SpanView;
  children: SpanNode[];
}

/**
 * Gathers one trace from every service (`GET /internal/traces/:traceId`, served when the services
 * run with `RECENT_SPANS`). Spans finish after the requests that started them (the saga and the
 * subscriptions run on), so it asks again until the trace stops growing and `complete` accepts it,
 * or `timeoutMs` passed (then it returns what it has).
 */
export async function collectTrace(
  serviceUrls: readonly string[],
  traceId: string,
  options: { complete?: (spans: SpanView[]) => boolean; timeoutMs?: number } = {},
): Promise<SpanView[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let previous = -1;
  for (;;) {
    const spans = (await Promise.all(serviceUrls.map((url) => spansAt(url, traceId)))).flat();
    const settled = spans.length === previous && (options.complete?.(spans) ?? true);
    if (settled || Date.now() > deadline) return spans;
    previous = spans.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function spansAt(url: string, traceId: string): Promise<SpanView[]> {
  const response = await fetch(`${url}/internal/traces/${traceId}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${url}/internal/traces/${traceId} answered ${response.status} (do the services run with RECENT_SPANS?)`);
  return ((await response.json()) as { spans: SpanView[] }).spans;
}

/** The spans as trees: a root is a span whose parent is not among them (the trace's first span, normally one). */
export function buildTree(spans: readonly SpanView[]): SpanNode[] {
  const nodes = new Map(spans.map((span) => [span.span_id, { span, children: [] as SpanNode[] }]));
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parent_span_id === undefined ? undefined : nodes.get(node.span.parent_span_id);
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.span.start_us - b.span.start_us;
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

/** The spans but those `hide` matches; the children of a hidden span hang from its parent instead. */
export function withoutSpans(spans: readonly SpanView[], hide: (span: SpanView) => boolean): SpanView[] {
  const hidden = new Map(spans.filter(hide).map((span) => [span.span_id, span]));
  const visibleParent = (id: string | undefined): string | undefined => {
    for (let current = id; ; current = hidden.get(current)?.parent_span_id) {
      if (current === undefined || !hidden.has(current)) return current;
    }
  };
  return spans
    .filter((span) => !hidden.has(span.span_id))
    .map((span) => {
      const parent = visibleParent(span.parent_span_id);
      const { parent_span_id: _, ...rest } = span;
      return parent === undefined ? rest : { ...rest, parent_span_id: parent };
    });
}

/** What a span is about, from its attributes: the event type, the subscription, the saga step, the path. */
const DETAIL_ATTRIBUTES = [
  'eventuali.saga.step',
  'messaging.destination.name',
  'eventuali.event.type',
  'eventuali.aggregate.type',
  'url.path',
  'url.full',
] as const;

function describe(span: SpanView): string {
  const details: string[] = [];
  for (const key of DETAIL_ATTRIBUTES) {
    const value = span.attributes[key];
    if (value === undefined || value === '' || details.includes(String(value))) continue;
    if (key === 'url.full' && span.attributes['url.path'] !== undefined) continue;
    if (key === 'url.path' && span.name.endsWith(` ${String(value)}`)) continue;
    details.push(key === 'url.full' ? new URL(String(value)).pathname : String(value));
    if (details.length === 2) break;
  }
  const message = span.status_message ?? 'error';
  const error = span.status === 'error' ? `  ✗ ${message.length > 60 ? `${message.slice(0, 59)}…` : message}` : '';
  return `${span.name}${details.length > 0 ? ` (${details.join(', ')})` : ''}${error}`;
}

/**
 * The trees as indented lines: each span with what it is about, its service and duration,
 * children under their parent in the order they started.
 */
export function formatTree(roots: readonly SpanNode[]): string[] {
  const rows: { label: string; service: string; duration: string }[] = [];
  const walk = (node: SpanNode, depth: number) => {
    rows.push({ label: `${'  '.repeat(depth)}${describe(node.span)}`, service: node.span.service, duration: `${(node.span.duration_us / 1000).toFixed(1)} ms` });
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  const labelWidth = Math.min(90, Math.max(...rows.map((r) => r.label.length)));
  const serviceWidth = Math.max(...rows.map((r) => r.service.length));
  return rows.map((r) => `${r.label.padEnd(labelWidth)}  ${r.service.padEnd(serviceWidth)}  ${r.duration.padStart(9)}`);
}
