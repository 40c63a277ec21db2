import { describe, expect, it } from 'vitest';
import { eventually } from '../../examples/microservices/scripts/api-client.js';
import {
  expectClientError,
  finishedSaga,
  notificationsOf,
  placeOrder,
  product,
  registerUser,
  settledOrder,
  stockProduct,
  unique,
  type SagaView,
} from './support/api.js';
import { checkRestartMidSaga } from './support/scenarios.js';
import { useSystem } from './support/system.js';

/**
 * Services stopping and dying under the example system (SQLite file), seen through the gateway:
 * calls routed to a stopped service get 503, the saga compensates when the inventory service is
 * away, work waiting on a stopped service is done once it is back, and a saga cut by a crash of
 * the order service ends after its restart. Nothing is lost.
 */
const system = useSystem();

describe('the microservices example when services stop or crash', () => {
  it('catches up on the events a stopped notification service missed', async () => {
    const { api } = system();
    await system().stopService('notification');
    const user = await registerUser(api);
    expectClientError(await api.call('GET', `/api/notifications?recipient=${user.user_id}`), 503, 'service_unavailable');
    const health = await api.call<{ status: string; services: Record<string, { status: string }> }>('GET', '/health', { expect: 503 });
    expect(health.body).toMatchObject({ status: 'degraded', services: { notification: { status: 'down' }, user: { status: 'up' } } });

    await system().restartService('notification');
    const [welcome] = await notificationsOf(api, user.user_id, ['welcome']);
    expect(welcome?.message).toContain(user.username);
    await api.call('GET', '/health', { expect: 200 });
  });

  it('compensates an order while the inventory service is down, and loses no stock', async () => {
    const { api } = system();
    const user = await registerUser(api);
    const item = unique('part');
    await stockProduct(api, item, 5);
    await system().stopService('inventory');

    expectClientError(await api.call('GET', `/api/inventory/products/${item}`), 503, 'service_unavailable');
    const placed = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 1, price: '3.10' }]);
    const saga = await finishedSaga(api, placed.body.order_id);
    expect(saga).toMatchObject({ status: 'compensated', failed_step: 'inventory_reserved', steps_completed: [] });
    expect(saga.failure_reason).toMatch(/inventory-service unreachable/);
    expect(await settledOrder(api, placed.body.order_id)).toMatchObject({ status: 'cancelled', payment_status: 'pending' });

    await system().restartService('inventory');
    expect(await product(api, item)).toMatchObject({ available: 5, reserved: 0, committed: 0 });
    expectClientError(await api.call('GET', `/api/inventory/reservations/${placed.body.order_id}`), 404, 'not_found');
    const again = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 1, price: '3.10' }]);
    expect(await settledOrder(api, again.body.order_id)).toMatchObject({ status: 'confirmed' });
  });

  it('commits the stock of an order confirmed while the inventory service was down, once it is back', async () => {
    const { api } = system();
    const user = await registerUser(api);
    const item = unique('bolt');
    await stockProduct(api, item, 10);
    await system().restartService('order', { PAYMENT_LATENCY_MS: '1000' });
    const placed = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 4, price: '0.25' }]);
    await eventually('the stock to be reserved', async () => {
      const saga = (await api.call<SagaView>('GET', `/api/orders/${placed.body.order_id}/saga`, { expect: 200 })).body;
      return saga.steps_completed.includes('inventory_reserved') ? true : undefined;
    });
    await system().stopService('inventory');

    expect(await finishedSaga(api, placed.body.order_id)).toMatchObject({ status: 'completed' });
    expect(await settledOrder(api, placed.body.order_id)).toMatchObject({ status: 'confirmed' });
    await system().restartService('inventory');
    const shipped = await eventually('the stock to be committed', async () => {
      const p = await product(api, item);
      return p.committed === 4 ? p : undefined;
    }, 30_000);
    expect(shipped).toMatchObject({ available: 6, reserved: 0, committed: 4 });
  }, 60_000);

  it('ends a saga cut by a crash of the order service after its restart', async () => {
    await checkRestartMidSaga(system());
  }, 90_000);
});
