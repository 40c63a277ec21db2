import { describe, expect, it } from 'vitest';
import { eventually } from '../../examples/microservices/scripts/api-client.js';
import { NOTIFIER_PARTITIONS } from '../../examples/microservices/notifications/notifier.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { finishedSaga, notificationsOf, placeOrder, registerUser, stockProduct, unique } from './support/api.js';
import { checkJourney } from './support/journey.js';
import { checkConcurrentOrders } from './support/scenarios.js';
import { useSystem } from './support/system.js';

/**
 * The example system on PostgreSQL with two instances of the order service and of the
 * notification service (as `EVENTUALI_INSTANCES=2`): the gateway spreads their requests, the
 * notifier is a consumer group both notification instances share, and two saga coordinators run
 * on one store.
 */
const system = useSystem(async () => {
  const db = await createTestDatabase('microservices_instances');
  return { databaseUrl: db.url, instances: 2, cleanup: () => db.drop() };
});

const NOTIFIER = 'notification-service.notifier';

/** Requests an instance answered on routes under `prefix`, from its /metrics. */
async function requestsServed(url: string, prefix: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^http_requests_total\{([^}]*)\} (\d+)/gm)) {
    if (match[1]?.includes(`route="${prefix}`)) total += Number(match[2]);
  }
  return total;
}

/** The notifier's partitions a notification instance handles now, from its /health. */
async function notifierPartitions(url: string): Promise<number[]> {
  const body = (await (await fetch(`${url}/health`)).json()) as {
    checks: { subscriptions: { subscriptions: Record<string, { state: string; partitions?: number[] }> } };
  };
  const group = body.checks.subscriptions.subscriptions[NOTIFIER];
  expect(group?.state).toBe('running');
  return group?.partitions ?? [];
}

describe('the microservices example on PostgreSQL with two order and two notification instances', () => {
  it('runs the whole journey the same way', async () => {
    expect(system().urls('order')).toHaveLength(2);
    expect(system().urls('notification')).toHaveLength(2);
    await checkJourney(system().api);
  }, 60_000);

  it('shares the notifier’s partitions between the two notification instances, each partition on one', async () => {
    const [first = '', second = ''] = system().urls('notification');
    // Settled: both instances hold partitions and together every one (a rebalance in flight has
    // released a partition the other has not taken yet). The assertion below then finds none twice.
    const [a, b] = await eventually('both notification instances to hold every partition between them', async () => {
      const owned = [await notifierPartitions(first), await notifierPartitions(second)] as const;
      return owned[0].length > 0 && owned[1].length > 0 && new Set([...owned[0], ...owned[1]]).size === NOTIFIER_PARTITIONS ? owned : undefined;
    });
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: NOTIFIER_PARTITIONS }, (_, k) => k));
  });

  it('sends each notification once per event while both instances handle the group', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => registerUser(system().api)));
    await Promise.all(users.map((u) => system().api.call('PUT', `/api/users/${u.user_id}/email`, { body: { new_email: `${unique('new')}@example.com` }, expect: 200 })));
    const widget = unique('widget');
    await stockProduct(system().api, widget, 100);
    const orders = await Promise.all(users.map((u) => placeOrder(system().api, u.user_id, [{ product_id: widget, quantity: 1, price: '3.00' }])));
    for (const order of orders) expect(await finishedSaga(system().api, order.body.order_id)).toMatchObject({ status: 'completed' });
    for (const user of users) {
      const notes = await notificationsOf(system().api, user.user_id, ['welcome', 'email_changed', 'order_placed', 'payment_processed', 'order_confirmed']);
      expect(notes.map((n) => n.type).sort()).toEqual(['email_changed', 'order_confirmed', 'order_placed', 'payment_processed', 'welcome']);
      expect(new Set(notes.map((n) => n.event_id)).size).toBe(notes.length);
    }
  }, 60_000);

  it('reserves exactly the stock for concurrent orders with two saga coordinators on one store', async () => {
    await checkConcurrentOrders(system().api, 30, 10);
  }, 60_000);

  it('spreads the gateway’s requests over both instances of each service', async () => {
    for (const url of system().urls('order')) expect(await requestsServed(url, '/orders')).toBeGreaterThan(0);
    for (const url of system().urls('notification')) expect(await requestsServed(url, '/notifications')).toBeGreaterThan(0);
  });

  it('sends every request to the other order instance when one is stopped', async () => {
    expect(await system().stopService('order')).toBe(0);
    const user = await registerUser(system().api);
    const widget = unique('widget');
    await stockProduct(system().api, widget, 5);
    for (let i = 0; i < 4; i++) {
      const placed = await placeOrder(system().api, user.user_id, [{ product_id: widget, quantity: 1, price: '1.00' }]);
      expect(placed.status).toBe(201);
      await system().api.call('GET', `/api/orders/${placed.body.order_id}`, { expect: 200 });
    }
  });
});
