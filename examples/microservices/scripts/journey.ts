import { randomUUID } from 'node:crypto';
import type { productResponse } from '../inventory/routes.js';
import type { eventResponse, orderResponse, sagaResponse } from '../orders/order-response.js';
import type { userResponse } from '../users/routes.js';
import type { ErrorBody } from '../shared/http-errors.js';
import { DECLINED_TEST_METHOD } from '../orders/payment-gateway.js';
import { ApiClient, eventually } from './api-client.js';

type UserView = ReturnType<typeof userResponse>;
type ProductView = ReturnType<typeof productResponse>;
type OrderView = ReturnType<typeof orderResponse>;
type SagaView = ReturnType<typeof sagaResponse>;
type EventView = ReturnType<typeof eventResponse>;
interface NotificationsView {
  notifications: { id: string; type: string; message: string; event_id: string; created_at: string }[];
}

const short = (id: string) => id.slice(0, 8);
const say = (text: string) => console.log(`   ${text}`);
let stepNumber = 0;
const step = (title: string) => console.log(`\n${++stepNumber}. ${title}`);

/** What the journey leaves for the demo to show: the confirmed order and the trace its request started. */
export interface JourneyOutcome {
  confirmedOrderId: string;
  /** Null when the services run without tracing. */
  confirmedOrderTraceId: string | null;
}

/**
 * The guide's journey, through the gateway over HTTP: register, change email, stock, an order the
 * saga confirms, shipping and delivery, an order above stock the saga compensates, an order whose
 * payment is declined, client mistakes, and the final state. Throws at the first surprise.
 */
export async function runJourney(gatewayUrl: string): Promise<JourneyOutcome> {
  const api = new ApiClient(gatewayUrl);

  step('Register a user');
  // Usernames and emails are unique: a run on a database kept from an earlier run needs new ones.
  const alice = `alice-${randomUUID().slice(0, 6)}`;
  const registered = await api.call<UserView>('POST', '/api/users', {
    body: { username: alice, email: `${alice}@example.com`, first_name: 'Alice', last_name: 'Liddell' },
    correlationId: 'demo-register',
    expect: 201,
  });
  const user = registered.body;
  say(`POST /api/users -> ${registered.status}: user ${short(user.user_id)} ${user.username} <${user.email}>, active: ${user.is_active}`);

  step('Change the email');
  const changed = await api.call<UserView>('PUT', `/api/users/${user.user_id}/email`, {
    body: { new_email: `${alice}@wonderland.example` },
    correlationId: 'demo-change-email',
    expect: 200,
  });
  say(`PUT /api/users/${short(user.user_id)}…/email -> ${changed.status}: ${user.email} -> ${changed.body.email} (version ${changed.body.version})`);

  step('Stock two products');
  for (const product of [
    { product_id: 'laptop-001', name: 'Laptop', quantity: 5 },
    { product_id: 'mouse-001', name: 'Wireless mouse', quantity: 20 },
  ]) {
    const stocked = await api.call<ProductView>('POST', '/api/inventory/products', { body: product, expect: [201, 200] });
    say(`POST /api/inventory/products -> ${stocked.status}: ${stocked.body.product_id} "${stocked.body.name}", ${stocked.body.available} available`);
  }
  const stocked = await stock(api);

  step('Place an order that the saga confirms');
  const placed = await api.call<OrderView>('POST', '/api/orders', {
    body: {
      customer_id: user.user_id,
      items: [
        { product_id: 'laptop-001', quantity: 1, price: '999.99' },
        { product_id: 'mouse-001', quantity: 2, price: 15.25 },
      ],
      shipping_address: { street: '1 Rabbit Hole', city: 'Oxford', country: 'UK' },
    },
    correlationId: 'demo-order-1',
    expect: 201,
  });
  const order = placed.body;
  say(`POST /api/orders -> ${placed.status}: order ${short(order.order_id)} ${order.status}, total ${order.total_amount}, saga ${order.saga_id}`);
  const saga = await finishedSaga(api, order.order_id);
  expectEqual('saga status', saga.status, 'completed');
  say(`saga ${saga.status}: ${saga.steps_completed.join(' -> ')}`);
  const confirmed = await orderIn(api, order.order_id, 'confirmed');
  say(`order ${confirmed.status}, payment ${confirmed.payment_status} (${confirmed.payment_id ?? '-'}), expected delivery ${confirmed.estimated_delivery?.slice(0, 10)}`);
  const shippedOut = (s: Record<string, ProductView>, id: string) => (s[id]?.committed ?? 0) - (stocked[id]?.committed ?? 0);
  const committed = await eventually('the reserved stock to be committed', async () => {
    const now = await stock(api);
    return shippedOut(now, 'laptop-001') === 1 && shippedOut(now, 'mouse-001') === 2 ? now : undefined;
  });
  say(`inventory: ${describeStock(committed)}`);
  const notes = await notificationsOf(api, user.user_id, ['welcome', 'email_changed', 'order_placed', 'payment_processed', 'order_confirmed']);
  say(`notifications sent to ${user.username}: ${notes.map((n) => n.type).join(', ')}`);
  const history = await api.call<{ events: EventView[] }>('GET', `/api/orders/${order.order_id}/events`, { expect: 200 });
  say(`the order's events carry the request's correlation id: ${history.body.events.map((e) => `${e.event_type} [${e.correlation_id}]`).join(', ')}`);
  expectEqual('correlation id of every order event', [...new Set(history.body.events.map((e) => e.correlation_id))].join(), 'demo-order-1');

  step('Ship and deliver it');
  const shipped = await api.call<OrderView>('POST', `/api/orders/${order.order_id}/ship`, {
    body: { tracking_number: '1Z999AA10123456784', carrier: 'UPS' },
    expect: 200,
  });
  say(`POST /api/orders/${short(order.order_id)}…/ship -> ${shipped.status}: ${shipped.body.status} with ${shipped.body.carrier}, tracking ${shipped.body.tracking_number}`);
  const delivered = await api.call<OrderView>('POST', `/api/orders/${order.order_id}/deliver`, { body: { delivered_to: 'Alice Liddell' }, expect: 200 });
  say(`POST /api/orders/${short(order.order_id)}…/deliver -> ${delivered.status}: ${delivered.body.status} to ${delivered.body.delivered_to}`);
  await notificationsOf(api, user.user_id, ['order_shipped', 'order_delivered']);
  say('notifications sent: order_shipped, order_delivered');

  step('Place an order for more than the stock');
  const stockBeforeBigOrder = await stock(api);
  const tooMany = (stockBeforeBigOrder['laptop-001']?.available ?? 0) + 6;
  const big = await api.call<OrderView>('POST', '/api/orders', {
    body: { customer_id: user.user_id, items: [{ product_id: 'laptop-001', quantity: tooMany, price: '999.99' }], shipping_address: { city: 'Oxford' } },
    correlationId: 'demo-order-2',
    expect: 201,
  });
  say(`POST /api/orders -> ${big.status}: order ${short(big.body.order_id)} ${big.body.status}: ${tooMany} laptops, ${stockBeforeBigOrder['laptop-001']?.available} in stock`);
  const bigSaga = await finishedSaga(api, big.body.order_id);
  expectEqual('saga status', bigSaga.status, 'compensated');
  say(`saga ${bigSaga.status} at ${bigSaga.failed_step}: ${bigSaga.failure_reason}`);
  const bigCancelled = await orderIn(api, big.body.order_id, 'cancelled');
  say(`order ${bigCancelled.status}, refund ${bigCancelled.refund_amount}`);
  const afterBigOrder = await stock(api);
  expectEqual('inventory after the compensated order', describeStock(afterBigOrder), describeStock(stockBeforeBigOrder));
  say(`inventory unchanged: ${describeStock(afterBigOrder)}`);

  step(`Place an order whose payment is declined (payment_method "${DECLINED_TEST_METHOD}")`);
  const declined = await api.call<OrderView>('POST', '/api/orders', {
    body: {
      customer_id: user.user_id,
      items: [{ product_id: 'mouse-001', quantity: 3, price: '15.25' }],
      shipping_address: { city: 'Oxford' },
      payment_method: DECLINED_TEST_METHOD,
    },
    correlationId: 'demo-order-3',
    expect: 201,
  });
  const declinedSaga = await finishedSaga(api, declined.body.order_id);
  expectEqual('saga status', declinedSaga.status, 'compensated');
  say(`saga ${declinedSaga.status} at ${declinedSaga.failed_step}: ${declinedSaga.failure_reason}`);
  say(`compensated: ${declinedSaga.steps_compensated.join(', ')} (the reserved mice went back)`);
  const declinedOrder = await orderIn(api, declined.body.order_id, 'cancelled');
  say(`order ${declinedOrder.status}, payment ${declinedOrder.payment_status}`);
  const afterDeclined = await stock(api);
  expectEqual('inventory after the declined payment', describeStock(afterDeclined), describeStock(afterBigOrder));
  say(`inventory unchanged: ${describeStock(afterDeclined)}`);

  step('Client mistakes get 4xx answers with reasons, never a 500');
  const mistakes: [string, string, string, { body?: unknown; rawBody?: string }, number][] = [
    ['bad input', 'POST', '/api/orders', { body: { customer_id: user.user_id, items: [], shipping_address: {} } }, 400],
    ['malformed JSON', 'POST', '/api/users', { rawBody: '{"username": "bob",' }, 400],
    ['unknown id', 'GET', '/api/orders/no-such-order', {}, 404],
    ['broken rule', 'POST', `/api/orders/${big.body.order_id}/ship`, { body: { tracking_number: 'X1', carrier: 'UPS' } }, 409],
  ];
  for (const [what, method, path, options, status] of mistakes) {
    const answer = await api.call<ErrorBody>(method, path, { ...options, expect: status });
    const issues = answer.body.issues ? ` (${answer.body.issues.length} zod issue${answer.body.issues.length === 1 ? '' : 's'})` : '';
    say(`${what}: ${method} ${path.replace(/[0-9a-f-]{36}/, (id) => `${short(id)}…`)} -> ${answer.status} ${answer.body.error}: ${answer.body.message}${issues}`);
  }

  step('Final state');
  const finalUser = await api.call<UserView>('GET', `/api/users/${user.user_id}`, { expect: 200 });
  say(`user ${short(finalUser.body.user_id)}: ${finalUser.body.username} <${finalUser.body.email}>, active ${finalUser.body.is_active}, version ${finalUser.body.version}`);
  for (const id of [order.order_id, big.body.order_id, declined.body.order_id]) {
    const o = (await api.call<OrderView>('GET', `/api/orders/${id}`, { expect: 200 })).body;
    const s = (await api.call<SagaView>('GET', `/api/orders/${id}/saga`, { expect: 200 })).body;
    say(`order ${short(id)}: ${o.status.padEnd(9)} total ${o.total_amount.padStart(8)}  payment ${o.payment_status.padEnd(9)} saga ${s.status}`);
  }
  say(`inventory: ${describeStock(await stock(api))}`);
  const all = await notificationsOf(api, user.user_id, ['order_cancelled', 'payment_failed']);
  say(`notifications for ${user.username} (${all.length}):`);
  for (const n of all) say(`  - ${n.type.padEnd(17)} ${n.message}`);
  return { confirmedOrderId: order.order_id, confirmedOrderTraceId: placed.traceId };
}

async function stock(api: ApiClient): Promise<Record<string, ProductView>> {
  const result: Record<string, ProductView> = {};
  for (const id of ['laptop-001', 'mouse-001']) result[id] = (await api.call<ProductView>('GET', `/api/inventory/products/${id}`, { expect: 200 })).body;
  return result;
}

function describeStock(stock: Record<string, ProductView>): string {
  return Object.values(stock)
    .map((p) => `${p.product_id} ${p.available} available / ${p.reserved} reserved / ${p.committed} shipped out`)
    .join('; ');
}

function finishedSaga(api: ApiClient, orderId: string): Promise<SagaView> {
  return eventually(`the saga of order ${short(orderId)} to finish`, async () => {
    const saga = (await api.call<SagaView>('GET', `/api/orders/${orderId}/saga`, { expect: 200 })).body;
    return saga.status === 'completed' || saga.status === 'compensated' || saga.status === 'failed' ? saga : undefined;
  });
}

function orderIn(api: ApiClient, orderId: string, status: string): Promise<OrderView> {
  return eventually(`order ${short(orderId)} to be ${status}`, async () => {
    const order = (await api.call<OrderView>('GET', `/api/orders/${orderId}`, { expect: 200 })).body;
    return order.status === status ? order : undefined;
  });
}

function notificationsOf(api: ApiClient, userId: string, types: readonly string[]): Promise<NotificationsView['notifications']> {
  return eventually(`notifications ${types.join(', ')}`, async () => {
    const { notifications } = (await api.call<NotificationsView>('GET', `/api/notifications?recipient=${userId}`, { expect: 200 })).body;
    return types.every((t) => notifications.some((n) => n.type === t)) ? notifications : undefined;
  });
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
