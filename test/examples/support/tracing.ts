import { expect } from 'vitest';
import { SERVICES } from '../../../examples/microservices/shared/config.js';
import type { SpanView } from '../../../examples/microservices/shared/recent-spans.js';
import { buildTree, collectTrace, type SpanNode } from '../../../examples/microservices/scripts/trace-tree.js';
import { notificationsOf, placeOrder, registerUser, settledOrder, stockProduct, unique } from './api.js';
import type { TestSystem } from './system.js';

/** The environment that makes every service keep its recent spans (what `npm run demo` sets). */
export const TRACING_ENV = { RECENT_SPANS: '20000' } as const;

const EXPECTED_SERVICES = ['api-gateway', 'order-service', 'inventory-service', 'notification-service'];
const SAGA_STEPS = ['inventory_reserved', 'payment_processed', 'order_confirmed'];

function descendants(node: SpanNode): SpanView[] {
  return node.children.flatMap((child) => [child.span, ...descendants(child)]);
}

function find(nodes: readonly SpanNode[], match: (span: SpanView) => boolean): SpanNode | undefined {
  for (const node of nodes) {
    if (match(node.span)) return node;
    const found = find(node.children, match);
    if (found) return found;
  }
  return undefined;
}

/**
 * Places an order the saga confirms and gathers its trace from every service, as `npm run demo`
 * does: one trace id, one root (the gateway's SERVER span), every parent link resolving to a
 * span of the trace, the order service's append of OrderPlaced under its request, the saga's steps,
 * and the inventory and notification services' handlers in the same trace.
 */
export async function checkOrderTrace(system: TestSystem): Promise<SpanView[]> {
  const { api } = system;
  const user = await registerUser(api);
  const item = unique('traced');
  await stockProduct(api, item, 5);
  const placed = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 2, price: '3.50' }]);
  expect(placed.traceId, 'the gateway answers with a traceresponse header').toMatch(/^[0-9a-f]{32}$/);
  const traceId = placed.traceId ?? '';
  expect((await settledOrder(api, placed.body.order_id)).status).toBe('confirmed');
  await notificationsOf(api, user.user_id, ['order_confirmed']);

  const spans = await collectTrace(
    SERVICES.map((s) => system.url(s)),
    traceId,
    {
      complete: (found) =>
        EXPECTED_SERVICES.every((service) => found.some((s) => s.service === service)) &&
        SAGA_STEPS.every((step) => found.some((s) => s.name === 'eventuali.saga.step' && Object.values(s.attributes).includes(step))),
      timeoutMs: 20_000,
    },
  );
  expect(spans.every((span) => span.trace_id === traceId)).toBe(true);
  expect(new Set(spans.map((s) => s.span_id)).size, 'span ids are unique').toBe(spans.length);
  expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(expect.arrayContaining(EXPECTED_SERVICES));

  // One root, every other span's parent present: the trace is whole.
  const roots = buildTree(spans);
  expect(roots.map((r) => `${r.span.service} ${r.span.name}`)).toEqual(['api-gateway POST /api/*']);
  const [root] = roots;
  expect(root?.span.kind).toBe('server');
  expect(root?.span.parent_span_id).toBeUndefined();

  // gateway SERVER -> gateway CLIENT -> order service SERVER, which appends OrderPlaced.
  const orderRequest = find(roots, (s) => s.service === 'order-service' && s.kind === 'server' && s.name === 'POST /orders');
  expect(orderRequest, 'the order service’s request span').toBeDefined();
  const clientCall = spans.find((s) => s.span_id === orderRequest?.span.parent_span_id);
  expect(clientCall).toMatchObject({ service: 'api-gateway', kind: 'client', parent_span_id: root?.span.span_id });
  const placedAppend = descendants(orderRequest as SpanNode).find(
    (s) => s.service === 'order-service' && s.name === 'eventuali.append' && s.attributes['eventuali.event.type'] === 'OrderPlaced',
  );
  expect(placedAppend, 'the append of OrderPlaced under the order request').toBeDefined();

  // The saga's three steps, and the services they call.
  for (const step of SAGA_STEPS) {
    expect(spans.some((s) => s.service === 'order-service' && s.name === 'eventuali.saga.step' && Object.values(s.attributes).includes(step)), step).toBe(true);
  }
  const reserve = find(roots, (s) => s.service === 'inventory-service' && s.kind === 'server' && s.name === 'POST /internal/inventory/reserve');
  expect(reserve, 'the inventory service’s reserve request').toBeDefined();
  expect(spans.some((s) => s.service === 'inventory-service' && s.name === 'eventuali.append')).toBe(true);

  // The notification service's subscription continues the trace from the events' metadata.
  const handled = spans.filter((s) => s.service === 'notification-service' && s.name === 'eventuali.subscription.handle');
  expect(handled.map((s) => s.attributes['eventuali.event.type'])).toEqual(expect.arrayContaining(['OrderPlaced', 'OrderConfirmed']));
  for (const span of handled) {
    const parent = spans.find((s) => s.span_id === span.parent_span_id);
    expect(parent, 'a handler span’s parent is the append that stored its event').toMatchObject({ name: 'eventuali.append' });
  }
  return spans;
}
