// A second process: subscribes, handles `count` events of `aggregateType`, then reports the spans it
// made (as JSON over IPC) and exits. The parent checks they continue the trace it appended in.
import { EventStore, type Event } from '../../../src/index.js';
import { Pinged } from '../../streaming/durable/fixtures.js';
import { exitWithParent, report } from '../../torture/support/child.js';
import { installOtelSdk } from '../otel-sdk.js';

/** A span as the parent reads it. */
export interface ChildSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

const [url, subscriptionId, aggregateType, count] = process.argv.slice(2) as [string, string, string, string];
exitWithParent();
const sdk = installOtelSdk();
const store = (await EventStore.create(url)).register(Pinged);
const handled: Event[] = [];
const sub = store.subscribe({ id: subscriptionId, aggregateTypes: [aggregateType], handle: (event) => void handled.push(event) });
await sub.start();
while (handled.length < Number(count)) await new Promise((resolve) => setTimeout(resolve, 10));
await sub.stop();
await store.close();
const spans: ChildSpan[] = sdk.spans().map((span) => ({
  name: span.name,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  attributes: { ...span.attributes },
  links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
}));
await report({ kind: 'spans', spans });
await sdk.shutdown();
process.exit(0);
