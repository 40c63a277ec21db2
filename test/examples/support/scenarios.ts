import { expect } from 'vitest';
import { eventually, type ApiClient } from '../../../examples/microservices/scripts/api-client.js';
import {
  expectClientError,
  finishedSaga,
  orderEvents,
  placeOrder,
  product,
  registerUser,
  settledOrder,
  stockProduct,
  unique,
  type OrderView,
  type ReservationView,
  type SagaView,
} from './api.js';
import type { TestSystem } from './system.js';

/** Fetches many resources at a bounded concurrency (a test client, not a load generator). */
async function getAll<T>(api: ApiClient, paths: readonly string[], concurrency = 20): Promise<{ status: number; body: T }[]> {
  const answers: { status: number; body: T }[] = new Array(paths.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const i = next++;
        answers[i] = await api.call<T>('GET', paths[i] as string);
      }
    }),
  );
  return answers;
}

/**
 * `orders` orders of one unit each, placed all at once, for a product stocked at `stock`: every
 * one is accepted, each ends confirmed or cancelled (none stuck), exactly `stock` are confirmed,
 * and the product ends with every unit shipped out once: nothing oversold, nothing left reserved.
 */
export async function checkConcurrentOrders(api: ApiClient, orders = 100, stock = 30): Promise<void> {
  const user = await registerUser(api);
  const widget = unique('widget');
  await stockProduct(api, widget, stock);
  const placed = await Promise.all(Array.from({ length: orders }, () => placeOrder(api, user.user_id, [{ product_id: widget, quantity: 1, price: '2.50' }])));
  const ids = placed.map((answer) => answer.body.order_id);
  expect(new Set(ids).size).toBe(orders);

  const pending = new Set(ids);
  const settled = new Map<string, OrderView>();
  await eventually(
    `every order confirmed or cancelled (${orders} placed)`,
    async () => {
      const open = [...pending];
      const answers = await getAll<OrderView>(api, open.map((id) => `/api/orders/${id}`));
      answers.forEach(({ status, body }, i) => {
        expect(status).toBe(200);
        if (body.status !== 'placed') {
          settled.set(open[i] as string, body);
          pending.delete(open[i] as string);
        }
      });
      return pending.size === 0 ? true : undefined;
    },
    60_000,
  );
  const statuses = [...settled.values()].map((o) => o.status);
  expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(stock);
  expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(orders - stock);

  const sagas = await getAll<SagaView>(api, ids.map((id) => `/api/orders/${id}/saga`));
  const reservations = await getAll<ReservationView>(api, ids.map((id) => `/api/inventory/reservations/${id}`));
  ids.forEach((id, i) => {
    const order = settled.get(id);
    const saga = sagas[i]?.body;
    if (order?.status === 'confirmed') {
      expect(saga).toMatchObject({ status: 'completed', steps_completed: ['inventory_reserved', 'payment_processed', 'order_confirmed'] });
      expect(reservations[i]).toMatchObject({ status: 200, body: { order_id: id, items: [{ product_id: widget, quantity: 1 }] } });
    } else {
      expect(saga).toMatchObject({ status: 'compensated', failed_step: 'inventory_reserved' });
      expect(saga?.failure_reason).toMatch(/409.*Not enough stock/);
      expect(order).toMatchObject({ status: 'cancelled', payment_status: 'pending' });
      expect(reservations[i]?.status, `order ${id} was refused stock but holds a reservation`).toBe(404);
    }
  });
  const shippedOut = await eventually('the confirmed orders’ stock to be shipped out', async () => {
    const p = await product(api, widget);
    return p.committed === stock ? p : undefined;
  });
  expect(shippedOut).toMatchObject({ available: 0, reserved: 0, committed: stock });
}

/**
 * The order service dies (SIGKILL) while a saga is in its middle (stock reserved, payment being
 * taken, slowed by PAYMENT_LATENCY_MS) and comes back: the saga is resumed (recover() on start,
 * then on SAGA_RECOVER_EVERY_MS once the dead coordinator's lease has expired) and ends confirmed
 * or compensated, the payment recorded at most once and the stock consistent with the outcome.
 * While it is down, the gateway answers 503 for its routes.
 */
export async function checkRestartMidSaga(system: TestSystem): Promise<void> {
  const { api } = system;
  const user = await registerUser(api);
  const gadget = unique('gadget');
  await stockProduct(api, gadget, 5);
  await system.restartService('order', { PAYMENT_LATENCY_MS: '1500' });
  const placed = await placeOrder(api, user.user_id, [{ product_id: gadget, quantity: 2, price: '7.00' }]);
  const orderId = placed.body.order_id;
  await eventually(
    'the saga to be taking the payment',
    async () => {
      const saga = (await api.call<SagaView>('GET', `/api/orders/${orderId}/saga`, { expect: 200 })).body;
      expect(saga.status).not.toMatch(/completed|compensated|failed/);
      return saga.status === 'running' && saga.steps_completed.join() === 'inventory_reserved' ? true : undefined;
    },
    10_000,
  );
  expect(await system.stopService('order', 'SIGKILL')).toBeNull();
  expectClientError(await api.call('GET', `/api/orders/${orderId}`), 503, 'service_unavailable');
  expect(await product(api, gadget)).toMatchObject({ available: 3, reserved: 2 });

  await system.restartService('order', { PAYMENT_LATENCY_MS: '', SAGA_RECOVER_EVERY_MS: '500' });
  const saga = await finishedSaga(api, orderId, 30_000);
  expect(['completed', 'compensated'], `saga ended ${saga.status}: ${saga.failure_reason ?? ''}`).toContain(saga.status);
  const order = await settledOrder(api, orderId, 30_000);
  const events = (await orderEvents(api, orderId)).map((e) => e.event_type);
  expect(events.filter((type) => type === 'PaymentProcessed').length).toBeLessThanOrEqual(1);
  if (saga.status === 'completed') {
    expect(order.status).toBe('confirmed');
    expect(events).toEqual(['OrderPlaced', 'PaymentProcessed', 'OrderConfirmed']);
    const shipped = await eventually('the stock to be shipped out', async () => {
      const p = await product(api, gadget);
      return p.committed === 2 ? p : undefined;
    }, 30_000);
    expect(shipped).toMatchObject({ available: 3, reserved: 0, committed: 2 });
  } else {
    expect(order.status).toBe('cancelled');
    expect(await product(api, gadget)).toMatchObject({ available: 5, reserved: 0, committed: 0 });
  }
}

/**
 * `If-Match` on the order's update routes, through the gateway: `GET /orders/:id` carries the
 * order's ETag; a write with the current one succeeds (200, the new ETag); with a stale one it is
 * 412 and nothing is written; cancel without one is 428 (ship and deliver take it optionally); a
 * malformed one is 400.
 */
export async function checkIfMatch(api: ApiClient): Promise<void> {
  const user = await registerUser(api);
  const item = unique('etag');
  await stockProduct(api, item, 2);
  const placed = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 1, price: '3.00' }]);
  const path = `/api/orders/${placed.body.order_id}`;
  const confirmed = await settledOrder(api, placed.body.order_id);
  expect(confirmed.status).toBe('confirmed');
  const read = await api.call<OrderView>('GET', path, { expect: 200 });
  expect(read.etag).toBe(`W/"${read.body.version}"`);
  const stale = `W/"${read.body.version - 1}"`;

  // Stale: 412, the versions named, nothing written.
  const refused = expectClientError(
    await api.call('POST', `${path}/ship`, { body: { tracking_number: 'T1', carrier: 'UPS' }, ifMatch: stale }),
    412,
    'precondition_failed',
  );
  expect(refused.details).toEqual({ expected_version: read.body.version - 1, actual_version: read.body.version });
  expectClientError(await api.call('POST', `${path}/cancel`, { body: { reason: 'stale' }, ifMatch: stale }), 412, 'precondition_failed');
  // Required on cancel: 428 without it; malformed: 400 naming If-Match. Neither writes.
  expectClientError(await api.call('POST', `${path}/cancel`, { body: { reason: 'no header' } }), 428, 'precondition_required');
  const malformed = expectClientError(await api.call('POST', `${path}/ship`, { body: { tracking_number: 'T1', carrier: 'UPS' }, ifMatch: 'version 3' }), 400, 'invalid_request');
  expect(malformed.message).toMatch(/If-Match/);
  const unchanged = await api.call<OrderView>('GET', path, { expect: 200 });
  expect(unchanged.body).toMatchObject({ status: 'confirmed', version: read.body.version });
  expect(unchanged.etag).toBe(read.etag);

  // Current: 200 and the new ETag, which the next write uses; ship and deliver also work without one.
  const shipped = await api.call<OrderView>('POST', `${path}/ship`, { body: { tracking_number: 'T1', carrier: 'UPS' }, ifMatch: read.etag ?? '', expect: 200 });
  expect(shipped.body).toMatchObject({ status: 'shipped', version: read.body.version + 1 });
  expect(shipped.etag).toBe(`W/"${read.body.version + 1}"`);
  const delivered = await api.call<OrderView>('POST', `${path}/deliver`, { body: { delivered_to: 'Alice' }, expect: 200 });
  expect(delivered.etag).toBe(`W/"${read.body.version + 2}"`);
  expectClientError(await api.call('POST', `${path}/cancel`, { body: { reason: 'late' }, ifMatch: shipped.etag ?? '' }), 412, 'precondition_failed');
  expect((await orderEvents(api, placed.body.order_id)).map((e) => e.event_type)).toEqual([
    'OrderPlaced',
    'PaymentProcessed',
    'OrderConfirmed',
    'OrderShipped',
    'OrderDelivered',
  ]);
}

interface ProductListView {
  products: { product_id: string; name: string; available: number; reserved: number; committed: number }[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * `GET /inventory/products`, served from the ProductCatalog read model: filters by name and
 * minimum available stock, pages with limit and offset, and refuses bad parameters (400). The
 * read model is a little behind the writes, so the test polls (bounded) until it shows them.
 */
export async function checkProductList(api: ApiClient): Promise<void> {
  const name = unique('Catalog');
  const [a, b, c] = [unique('cat-a'), unique('cat-b'), unique('cat-c')];
  for (const [id, quantity] of [[a, 5], [b, 1], [c, 9]] as const) {
    await api.call('POST', '/api/inventory/products', { body: { product_id: id, name, quantity }, expect: 201 });
  }
  const list = (query: string) => api.call<ProductListView>('GET', `/api/inventory/products?${query}`, { expect: 200 });
  const named = `name=${encodeURIComponent(name)}`;
  const all = await eventually('the catalog to show the three products', async () => {
    const answer = (await list(named)).body;
    // find and count are two reads: the projection may write between them, so wait for both.
    return answer.total === 3 && answer.products.length === 3 ? answer : undefined;
  });
  expect(all).toMatchObject({ total: 3, limit: 20, offset: 0 });
  expect(all.products.map((p) => p.product_id).sort()).toEqual([a, b, c].sort());
  expect(all.products.find((p) => p.product_id === a)).toEqual({ product_id: a, name, available: 5, reserved: 0, committed: 0 });

  const plenty = (await list(`${named}&min_available=5`)).body;
  expect(plenty.total).toBe(2);
  expect(plenty.products.map((p) => p.product_id).sort()).toEqual([a, c].sort());
  const first = (await list(`${named}&limit=2&offset=0`)).body;
  const rest = (await list(`${named}&limit=2&offset=2`)).body;
  expect(first).toMatchObject({ total: 3, limit: 2, offset: 0 });
  expect(first.products).toHaveLength(2);
  expect(rest).toMatchObject({ total: 3, limit: 2, offset: 2 });
  expect(rest.products).toHaveLength(1);
  expect(new Set([...first.products, ...rest.products].map((p) => p.product_id)).size).toBe(3);
  expect((await list(`name=${encodeURIComponent(unique('nothing'))}`)).body).toEqual({ products: [], total: 0, limit: 20, offset: 0 });

  // A restock shows up in the list too.
  await api.call('POST', '/api/inventory/products', { body: { product_id: b, name, quantity: 10 }, expect: 200 });
  const restocked = await eventually('the catalog to show the restock', async () => {
    const answer = (await list(`${named}&min_available=11`)).body;
    return answer.total === 1 && answer.products.length === 1 ? answer : undefined;
  });
  expect(restocked.products).toEqual([{ product_id: b, name, available: 11, reserved: 0, committed: 0 }]);

  for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'min_available=1.5', 'min_available=-2', 'colour=red', `name=${'x'.repeat(201)}`]) {
    const body = expectClientError(await api.call('GET', `/api/inventory/products?${bad}`), 400, 'invalid_request');
    expect(body.issues?.length, bad).toBeGreaterThan(0);
  }
}
