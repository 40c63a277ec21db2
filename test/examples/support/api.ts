import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { productResponse, reservationResponse } from '../../../examples/microservices/inventory/routes.js';
import type { eventResponse, orderResponse, sagaResponse } from '../../../examples/microservices/orders/order-response.js';
import type { ErrorBody } from '../../../examples/microservices/shared/http-errors.js';
import type { userResponse } from '../../../examples/microservices/users/routes.js';
import { eventually, type ApiAnswer, type ApiClient } from '../../../examples/microservices/scripts/api-client.js';

export type UserView = ReturnType<typeof userResponse>;
export type ProductView = ReturnType<typeof productResponse>;
export type ReservationView = ReturnType<typeof reservationResponse>;
export type OrderView = ReturnType<typeof orderResponse>;
export type SagaView = ReturnType<typeof sagaResponse>;
export type EventView = ReturnType<typeof eventResponse>;
export interface NotificationView {
  id: string;
  recipient: string;
  type: string;
  message: string;
  event_id: string;
  created_at: string;
}

/** A short unique suffix, so tests sharing one system never share ids. */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function registerUser(api: ApiClient, name = unique('user')): Promise<UserView> {
  return (await api.call<UserView>('POST', '/api/users', { body: { username: name, email: `${name}@example.com` }, expect: 201 })).body;
}

export async function stockProduct(api: ApiClient, productId: string, quantity: number): Promise<ProductView> {
  return (await api.call<ProductView>('POST', '/api/inventory/products', { body: { product_id: productId, name: `Product ${productId}`, quantity }, expect: [201, 200] })).body;
}

export async function product(api: ApiClient, productId: string): Promise<ProductView> {
  return (await api.call<ProductView>('GET', `/api/inventory/products/${productId}`, { expect: 200 })).body;
}

export interface OrderLine {
  product_id: string;
  quantity: number;
  price: number | string;
}

export function placeOrder(api: ApiClient, customerId: string, items: readonly OrderLine[], extra: Record<string, unknown> = {}): Promise<ApiAnswer<OrderView>> {
  return api.call<OrderView>('POST', '/api/orders', { body: { customer_id: customerId, items, shipping_address: { city: 'Springfield' }, ...extra }, expect: 201 });
}

export const FINAL_SAGA_STATUSES: readonly string[] = ['completed', 'compensated', 'failed'];

/** The saga once it ended (completed, compensated or failed). */
export function finishedSaga(api: ApiClient, orderId: string, timeoutMs = 20_000): Promise<SagaView> {
  return eventually(
    `the saga of order ${orderId} to end`,
    async () => {
      const saga = (await api.call<SagaView>('GET', `/api/orders/${orderId}/saga`, { expect: 200 })).body;
      return FINAL_SAGA_STATUSES.includes(saga.status) ? saga : undefined;
    },
    timeoutMs,
  );
}

/** The order once the saga's outcome reached it: confirmed (or later) or cancelled. */
export function settledOrder(api: ApiClient, orderId: string, timeoutMs = 20_000): Promise<OrderView> {
  return eventually(
    `order ${orderId} to be confirmed or cancelled`,
    async () => {
      const order = (await api.call<OrderView>('GET', `/api/orders/${orderId}`, { expect: 200 })).body;
      return order.status === 'placed' ? undefined : order;
    },
    timeoutMs,
  );
}

export async function orderEvents(api: ApiClient, orderId: string): Promise<EventView[]> {
  return (await api.call<{ events: EventView[] }>('GET', `/api/orders/${orderId}/events`, { expect: 200 })).body.events;
}

/** The recipient's notifications once every one of `types` is there. */
export function notificationsOf(api: ApiClient, recipient: string, types: readonly string[], timeoutMs = 20_000): Promise<NotificationView[]> {
  return eventually(
    `notifications ${types.join(', ')} for ${recipient}`,
    async () => {
      const { notifications } = (await api.call<{ notifications: NotificationView[] }>('GET', `/api/notifications?recipient=${recipient}`, { expect: 200 })).body;
      return types.every((t) => notifications.some((n) => n.type === t)) ? notifications : undefined;
    },
    timeoutMs,
  );
}

/** A client error answer: the status, a JSON error body with a reason and the correlation id, no stack trace. */
export function expectClientError(answer: ApiAnswer<unknown>, status: number, error?: string): ErrorBody {
  const body = answer.body as ErrorBody;
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(typeof body, `a JSON body, got ${String(answer.body)}`).toBe('object');
  expect(body.message).toEqual(expect.any(String));
  expect(body.message.length).toBeGreaterThan(0);
  if (error !== undefined) expect(body.error).toBe(error);
  else expect(body.error).toEqual(expect.any(String));
  expect(body.correlation_id).toBe(answer.correlationId);
  expect(body).not.toHaveProperty('stack');
  expect(JSON.stringify(body)).not.toMatch(/\\n\s*at |\bat \S+ \(|\.(?:ts|js):\d+:\d+|node_modules/);
  return body;
}
