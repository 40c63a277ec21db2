/**
 * m2: orders through the example's whole saga, every service its own process: autocannon places
 * N orders (`POST /api/orders` through the gateway) at a fixed concurrency, and the clock stops
 * when every order is confirmed or cancelled (reserve stock → take payment → confirm, across the
 * order and inventory services). Targets: ≥ 100 orders/s, none stuck.
 */
import type autocannon from 'autocannon';
import { check, emptyRow, type ResultRow } from '../../lib/results.js';
import { plainLabel, type Target } from '../../lib/targets.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';
import { CONNECTIONS, onServices, postJson, postLoad } from './services-system.js';

const CUSTOMERS = 50;
const PRODUCTS = 20;
/** How long after the last order was placed an order may still be open before it counts as stuck. */
const STUCK_AFTER_MS = 60_000;
const ORDERS_S = 'orders/s';
const PLACED_S = 'placed/s';
const P99 = 'POST p99 ms';
const REFUSED = 'refused';
const CANCELLED = 'cancelled';
const STUCK = 'stuck';
const COLUMNS = [ORDERS_S, PLACED_S, P99, REFUSED, CANCELLED, STUCK];

interface Placement {
  ids: string[];
  done: boolean;
}

function placeOrders(url: string, amount: number, customers: readonly string[], products: readonly string[], placement: Placement): Promise<autocannon.Result> {
  const order = (i: number): unknown => {
    const items = [{ product_id: products[i % products.length], quantity: 1 + (i % 3), price: '9.99' }];
    return { customer_id: customers[i % customers.length], items, shipping_address: { city: 'Bench' } };
  };
  return postLoad(url, '/api/orders', { amount }, 30, order, (status, body) => {
    if (status === 201) placement.ids.push((JSON.parse(body) as { order_id: string }).order_id);
  });
}

/**
 * Walks the orders in the order they were placed, asking the gateway for each until it is
 * confirmed or cancelled: when the walk ends, every order is final. One request at a time, so the
 * watching adds little load. Resolves with the statuses and the time the last one was seen final.
 */
async function watchOrders(url: string, placement: Placement): Promise<{ settledAt: number; statuses: string[] }> {
  const statuses: string[] = [];
  let lastPlacedAt = Number.POSITIVE_INFINITY;
  for (let i = 0; ; ) {
    if (i >= placement.ids.length) {
      if (placement.done) return { settledAt: performance.now(), statuses };
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    if (placement.done && lastPlacedAt === Number.POSITIVE_INFINITY) lastPlacedAt = performance.now();
    const response = await fetch(`${url}/api/orders/${placement.ids[i]}`);
    const { status } = (await response.json()) as { status: string };
    if (status === 'confirmed' || status === 'cancelled') {
      statuses.push(status);
      i++;
    } else if (performance.now() - lastPlacedAt > STUCK_AFTER_MS) {
      statuses.push(`stuck:${status}`);
      i++;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

async function runOn(ctx: BenchContext, target: Target, orders: number): Promise<ResultRow> {
  const row = emptyRow('m2', `${orders.toLocaleString('en-US')} orders through the saga, ${CONNECTIONS} connections`, plainLabel(target), ORDERS_S, COLUMNS);
  await onServices(target, 'm2', row, async (url) => {
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) customers.push((await postJson<{ user_id: string }>(url, '/api/users', { username: `customer-${i}`, email: `c${i}@example.com` })).user_id);
    const products = Array.from({ length: PRODUCTS }, (_, i) => `product-${i}`);
    for (const id of products) await postJson(url, '/api/inventory/products', { product_id: id, name: id, quantity: orders * 3 });

    const placement: Placement = { ids: [], done: false };
    const started = performance.now();
    const watching = watchOrders(url, placement);
    let placed: autocannon.Result;
    try {
      placed = await placeOrders(url, orders, customers, products, placement);
    } finally {
      placement.done = true;
    }
    const placedAt = performance.now();
    const { settledAt, statuses } = await watching;
    const seconds = (settledAt - started) / 1000;
    const stuck = statuses.filter((s) => s.startsWith('stuck')).length;
    row.values = {
      [ORDERS_S]: placement.ids.length / seconds,
      [PLACED_S]: placement.ids.length / ((placedAt - started) / 1000),
      [P99]: placed.latency.p99,
      [REFUSED]: orders - placement.ids.length,
      [CANCELLED]: statuses.filter((s) => s === 'cancelled').length,
      [STUCK]: stuck,
    };
    const refusals = Object.entries(placed.statusCodeStats ?? {}).filter(([code]) => code !== '201').map(([code, s]) => `${s.count ?? 0}× ${code}`);
    row.notes.push(
      `${placement.ids.length.toLocaleString('en-US')} of ${orders.toLocaleString('en-US')} orders placed in ${((placedAt - started) / 1000).toFixed(1)} s ` +
        `(${refusals.length > 0 ? refusals.join(', ') : 'every answer 201'}, ${placed.errors} connection errors), all final after ${seconds.toFixed(1)} s`,
    );
    ctx.log(`  m2 ${row.store}: ${Math.round(row.values[ORDERS_S] ?? 0)} orders/s, ${stuck} stuck, ${row.values[REFUSED]} refused, ${row.values[CANCELLED]} cancelled`);
  });
  row.checks.push(
    check('orders/s', row.values[ORDERS_S] ?? null, '>=', 100, 'value'),
    check('refused orders', row.values[REFUSED] ?? null, '<=', 0, 'value'),
    check('stuck orders', row.values[STUCK] ?? null, '<=', 0, 'value'),
  );
  return row;
}

export const httpOrders = durableWorkload('http-orders', 'm2', (ctx, target) => runOn(ctx, target, ctx.settings.mode === 'quick' ? 300 : 1000), (ctx) => {
  const orders = ctx.settings.mode === 'quick' ? 300 : 1000;
  return {
    columns: COLUMNS,
    title: 'Microservices example: orders through the whole saga',
    description:
      'The example system as in m1. Setup: 50 customers, 20 products with ample stock. Then autocannon places ' +
      `${orders.toLocaleString('en-US')} orders (\`POST /api/orders\`, 1–3 units of one product each) over ${CONNECTIONS} connections, ` +
      'while a watcher walks the placed orders in order, asking `GET /api/orders/:id` one request at a time until each is ' +
      'confirmed or cancelled. Each order runs the saga in the order service (`POST /api/orders` starts it, a durable ' +
      'subscription is the fallback; the inventory service reserves over HTTP; simulated payment; confirmation), then ' +
      'the inventory commit and three notifications. ' +
      'orders/s = orders placed / time from the first order sent until the last one was seen final; placed/s and POST p99 ' +
      "are autocannon's; refused = `POST /api/orders` answered other than 201 (not placed, so not counted); " +
      `stuck = placed orders not final ${STUCK_AFTER_MS / 1000} s after the last was placed.`,
  };
});
