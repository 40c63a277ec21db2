import { expect } from 'vitest';
import { eventually, type ApiClient } from '../../../examples/microservices/scripts/api-client.js';
import {
  expectClientError,
  finishedSaga,
  notificationsOf,
  orderEvents,
  placeOrder,
  product,
  settledOrder,
  stockProduct,
  unique,
  type OrderView,
  type UserView,
} from './api.js';

/**
 * DESIGN §6's journey, through the gateway, with every step checked: register a user, change the
 * email, stock two products, an order the saga confirms (inventory reserved, payment processed,
 * order confirmed, notifications sent, stock shipped out), ship and deliver it, an order above
 * the stock that the saga compensates (cancelled, inventory unchanged), and the final state.
 */
export async function checkJourney(api: ApiClient): Promise<void> {
  const name = unique('alice');
  const registered = await api.call<UserView>('POST', '/api/users', {
    body: { username: name, email: `${name}@example.com`, first_name: 'Alice', last_name: 'Liddell' },
    correlationId: `${name}-register`,
    expect: 201,
  });
  const user = registered.body;
  expect(registered.correlationId).toBe(`${name}-register`);
  expect(user).toMatchObject({ username: name, email: `${name}@example.com`, first_name: 'Alice', last_name: 'Liddell', phone: null, is_active: true, version: 1 });
  expect(Date.parse(user.registration_date ?? '')).not.toBeNaN();

  const changed = await api.call<UserView>('PUT', `/api/users/${user.user_id}/email`, { body: { new_email: `${name}@wonderland.example` }, expect: 200 });
  expect(changed.body).toMatchObject({ user_id: user.user_id, email: `${name}@wonderland.example`, version: 2 });
  // The notifier is a consumer group: the user's and the order's events may be in different
  // partitions, handled in parallel. Waiting here keeps the inbox's order the one checked at the end.
  await notificationsOf(api, user.user_id, ['welcome', 'email_changed']);

  const laptop = unique('laptop');
  const mouse = unique('mouse');
  const stockedLaptop = await api.call('POST', '/api/inventory/products', { body: { product_id: laptop, name: 'Laptop', quantity: 5 }, expect: 201 });
  expect(stockedLaptop.body).toMatchObject({ product_id: laptop, name: 'Laptop', available: 5, reserved: 0, committed: 0 });
  await stockProduct(api, mouse, 20);
  const restocked = await api.call('POST', '/api/inventory/products', { body: { product_id: mouse, name: 'Wireless mouse', quantity: 5 }, expect: 200 });
  expect(restocked.body).toMatchObject({ product_id: mouse, available: 25 });

  // An order the saga confirms.
  const placed = await placeOrder(
    api,
    user.user_id,
    [
      { product_id: laptop, quantity: 1, price: '999.99' },
      { product_id: mouse, quantity: 2, price: 15.25 },
    ],
    { shipping_address: { street: '1 Rabbit Hole', city: 'Oxford', country: 'UK' } },
  );
  const order = placed.body;
  expect(order).toMatchObject({ customer_id: user.user_id, status: 'placed', total_amount: '1030.49', saga_id: `order-${order.order_id}-saga` });
  const saga = await finishedSaga(api, order.order_id);
  expect(saga).toMatchObject({ status: 'completed', steps_completed: ['inventory_reserved', 'payment_processed', 'order_confirmed'], failure_reason: null });
  expect(saga.correlation_id).toBe(placed.correlationId);
  const confirmed = await settledOrder(api, order.order_id);
  expect(confirmed).toMatchObject({ status: 'confirmed', payment_status: 'processed', total_amount: '1030.49' });
  expect(confirmed.payment_id).toEqual(expect.any(String));
  await eventually('the reserved stock to be shipped out', async () => {
    const [l, m] = [await product(api, laptop), await product(api, mouse)];
    return l.committed === 1 && m.committed === 2 ? true : undefined;
  });
  expect(await product(api, laptop)).toMatchObject({ available: 4, reserved: 0, committed: 1 });
  expect(await product(api, mouse)).toMatchObject({ available: 23, reserved: 0, committed: 2 });
  await notificationsOf(api, user.user_id, ['welcome', 'email_changed', 'order_placed', 'payment_processed', 'order_confirmed']);
  const events = await orderEvents(api, order.order_id);
  expect(events.map((e) => e.event_type)).toEqual(['OrderPlaced', 'PaymentProcessed', 'OrderConfirmed']);
  expect(new Set(events.map((e) => e.correlation_id))).toEqual(new Set([placed.correlationId]));

  // Ship and deliver it.
  const shipped = await api.call<OrderView>('POST', `/api/orders/${order.order_id}/ship`, { body: { tracking_number: '1Z999AA10123456784', carrier: 'UPS' }, expect: 200 });
  expect(shipped.body).toMatchObject({ status: 'shipped', tracking_number: '1Z999AA10123456784', carrier: 'UPS' });
  const delivered = await api.call<OrderView>('POST', `/api/orders/${order.order_id}/deliver`, { body: { delivered_to: 'Alice Liddell' }, expect: 200 });
  expect(delivered.body).toMatchObject({ status: 'delivered', delivered_to: 'Alice Liddell' });
  await notificationsOf(api, user.user_id, ['order_shipped', 'order_delivered']);

  // An order above the stock: accepted, then compensated by the saga; the inventory is unchanged.
  const before = [await product(api, laptop), await product(api, mouse)];
  const big = await placeOrder(api, user.user_id, [
    { product_id: mouse, quantity: 1, price: '15.25' },
    { product_id: laptop, quantity: before[0]!.available + 6, price: '999.99' },
  ]);
  expect(big.status).toBe(201);
  const bigSaga = await finishedSaga(api, big.body.order_id);
  expect(bigSaga).toMatchObject({ status: 'compensated', failed_step: 'inventory_reserved', steps_completed: [] });
  expect(bigSaga.failure_reason).toMatch(/409.*Not enough stock/);
  expect(await settledOrder(api, big.body.order_id)).toMatchObject({ status: 'cancelled', payment_status: 'pending', refund_amount: '0.00' });
  expect([await product(api, laptop), await product(api, mouse)]).toEqual(before);
  expectClientError(await api.call('POST', `/api/orders/${big.body.order_id}/ship`, { body: { tracking_number: 'X1', carrier: 'UPS' } }), 409, 'invalid_status');

  // The final state.
  expect((await api.call<UserView>('GET', `/api/users/${user.user_id}`, { expect: 200 })).body).toMatchObject({ email: `${name}@wonderland.example`, is_active: true, version: 2 });
  expect((await api.call<OrderView>('GET', `/api/orders/${order.order_id}`, { expect: 200 })).body).toMatchObject({ status: 'delivered', version: 5 });
  const notes = await notificationsOf(api, user.user_id, ['order_cancelled']);
  expect(notes.map((n) => n.type)).toEqual([
    'welcome', 'email_changed', 'order_placed', 'payment_processed', 'order_confirmed', 'order_shipped', 'order_delivered', 'order_placed', 'order_cancelled',
  ]);
}
