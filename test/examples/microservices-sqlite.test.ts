import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiClient, type ApiAnswer } from '../../examples/microservices/scripts/api-client.js';
import { SERVICES } from '../../examples/microservices/shared/config.js';
import {
  expectClientError,
  placeOrder,
  product,
  registerUser,
  settledOrder,
  stockProduct,
  unique,
  type OrderView,
  type UserView,
} from './support/api.js';
import { checkInternalRoutesClosed, checkUniqueUsers, checkUnstorableText } from './support/hostile-clients.js';
import { checkInspector } from './support/inspector.js';
import { checkJourney } from './support/journey.js';
import { parsePrometheusText } from './support/prometheus-text.js';
import { checkConcurrentOrders, checkIfMatch, checkProductList } from './support/scenarios.js';
import { useSystem } from './support/system.js';
import { TRACING_ENV, checkOrderTrace } from './support/tracing.js';

/**
 * The example system as real processes on a SQLite file, driven over HTTP through the gateway:
 * the journey, client mistakes, concurrency, and the metrics every service serves.
 */
const system = useSystem(async () => ({ env: TRACING_ENV }));

/** A request with a raw body and content type of our choosing, as a careless client sends it. */
async function send(method: string, path: string, options: { body?: string; contentType?: string } = {}): Promise<ApiAnswer<unknown>> {
  const headers: Record<string, string> = options.contentType ? { 'content-type': options.contentType } : {};
  const response = await fetch(`${system().url('gateway')}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // kept as text: expectClientError then fails on it
  }
  return { status: response.status, body, correlationId: response.headers.get('x-correlation-id'), etag: response.headers.get('etag'), traceId: null };
}

const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });

describe('the microservices example on SQLite, through the gateway', () => {
  it('runs the whole journey', async () => {
    await checkJourney(system().api);
  });

  it('serves the inspector at /inspector on the gateway, read-only', async () => {
    await checkInspector(system().url('gateway'));
  });

  it('answers bad input with 400 and the zod issues, never a 500 or a stack trace', async () => {
    const user = await registerUser(system().api);
    const withIssues = (answer: ApiAnswer<unknown>, paths: string[]) => {
      const body = expectClientError(answer, 400, 'invalid_request');
      expect(body.issues?.length).toBeGreaterThan(0);
      const found = (body.issues as { path: unknown[]; message: string }[]).map((issue) => issue.path.join('.'));
      for (const path of paths) expect(found).toContain(path);
    };
    expectClientError(await send('POST', '/api/users', { body: '{"username": "bob",', contentType: 'application/json' }), 400, 'malformed_json');
    expectClientError(await send('POST', '/api/orders', { body: '', contentType: 'application/json' }), 400);
    withIssues(await send('POST', '/api/users', json({ username: 42, email: true })), ['username', 'email']);
    withIssues(await send('POST', '/api/users', json({ username: 'no-email' })), ['email']);
    withIssues(await send('POST', '/api/orders', json({})), ['customer_id', 'items', 'shipping_address']);
    withIssues(await send('POST', '/api/orders', json(null)), []);
    withIssues(await send('POST', '/api/orders', json({ customer_id: user.user_id, items: [], shipping_address: {} })), ['items']);
    withIssues(
      await send('POST', '/api/orders', json({ customer_id: user.user_id, items: [{ product_id: 'p', quantity: -1, price: '1.001' }], shipping_address: { city: 7 } })),
      ['items.0.quantity', 'items.0.price', 'shipping_address.city'],
    );
    withIssues(await send('PUT', `/api/users/${user.user_id}/email`, json({ new_email: 'not-an-email' })), ['new_email']);
    withIssues(await send('POST', '/api/inventory/products', json({ product_id: 'p 1', name: '', quantity: 1.5 })), ['product_id', 'name', 'quantity']);
    withIssues(await send('GET', '/api/users/not%20an%20id'), ['id']);
    withIssues(await send('GET', '/api/notifications'), ['recipient']);

    const big = JSON.stringify({ username: 'big', email: 'big@example.com', first_name: 'x'.repeat(100 * 1024) });
    expectClientError(await send('POST', '/api/users', { body: big, contentType: 'application/json' }), 413, 'payload_too_large');
    expectClientError(await send('POST', '/api/users', { body: 'username=bob', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expectClientError(await send('GET', '/api/unknown/route'), 404, 'not_found');
    expectClientError(await send('GET', '/no-such-page'), 404, 'not_found');
    expectClientError(await send('GET', `/api/users/${user.user_id}/no-such-thing`), 404, 'not_found');
    expectClientError(await send('DELETE', `/api/users/${user.user_id}`), 404, 'not_found');
  });

  it('answers 404 for unknown ids, also an id of another kind of thing', async () => {
    const { api } = system();
    const user = await registerUser(api);
    const id = randomUUID();
    for (const [method, path, body] of [
      ['GET', `/api/users/${id}`],
      ['PUT', `/api/users/${id}/email`, { new_email: 'x@example.com' }],
      ['POST', `/api/users/${id}/deactivate`, {}],
      ['GET', `/api/orders/${id}`],
      ['GET', `/api/orders/${id}/saga`],
      ['GET', `/api/orders/${id}/events`],
      ['POST', `/api/orders/${id}/ship`, { tracking_number: 'T1', carrier: 'UPS' }],
      ['GET', `/api/orders/${user.user_id}`],
      ['GET', '/api/inventory/products/no-such-product'],
      ['GET', `/api/inventory/reservations/${id}`],
    ] as const) {
      expectClientError(await api.call(method, path, body === undefined ? {} : { body }), 404, 'not_found');
    }
  });

  it('answers 409 with the reason when a business rule is broken', async () => {
    const { api } = system();
    const user = await registerUser(api);
    const item = unique('rule');
    await stockProduct(api, item, 3);
    const placed = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 1, price: 4 }]);
    expect(await settledOrder(api, placed.body.order_id)).toMatchObject({ status: 'confirmed' });
    const orderPath = `/api/orders/${placed.body.order_id}`;
    expectClientError(await api.call('POST', `${orderPath}/deliver`, { body: { delivered_to: 'Bob' } }), 409, 'invalid_status');
    const { etag } = await api.call('GET', orderPath, { expect: 200 });
    const cancelled = await api.call<OrderView>('POST', `${orderPath}/cancel`, { body: { reason: 'changed my mind' }, ifMatch: etag ?? '', expect: 200 });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refund_amount: '4.00', cancellation_reason: 'changed my mind' });
    const shipping = expectClientError(await api.call('POST', `${orderPath}/ship`, { body: { tracking_number: 'T1', carrier: 'UPS' } }), 409, 'invalid_status');
    expect(shipping.message).toBe('Cannot ship order in status: cancelled');
    expectClientError(await api.call('POST', `${orderPath}/cancel`, { body: { reason: 'again' }, ifMatch: cancelled.etag ?? '' }), 409, 'invalid_status');


    const userPath = `/api/users/${user.user_id}`;
    expectClientError(await api.call('PUT', `${userPath}/email`, { body: { new_email: user.email } }), 409, 'email_unchanged');
    expect((await api.call<UserView>('POST', `${userPath}/deactivate`, { body: {}, expect: 200 })).body.is_active).toBe(false);
    expectClientError(await api.call('POST', `${userPath}/deactivate`, { body: {} }), 409, 'already_inactive');
    expectClientError(await api.call('PUT', `${userPath}/email`, { body: { new_email: 'new@example.com' } }), 409, 'user_inactive');
    expectClientError(await api.call('PUT', `${userPath}/profile`, { body: { phone: '+1 555 0100' } }), 409, 'user_inactive');
  });

  it('maps If-Match to the expected version: 200 with a current ETag, 412 stale, 428 when required and absent, 400 malformed', async () => {
    await checkIfMatch(system().api);
  });

  it('lists products from the read model, filtered and paged, and refuses bad parameters with 400', async () => {
    await checkProductList(system().api);
  });

  it('creates one user for 20 identical registrations at once, and keeps usernames and emails unique', async () => {
    await checkUniqueUsers(system().api);
  });

  it('answers a NUL character or a lone surrogate in any free-text field with 400 naming the field', async () => {
    await checkUnstorableText(system().api);
  });

  it('keeps the saga’s service-to-service routes off the gateway', async () => {
    await checkInternalRoutesClosed(system().api, system().url('inventory'));
    const inventory = new ApiClient(system().url('inventory'));
    expectClientError(
      await inventory.call('POST', '/internal/inventory/release', { body: { order_id: randomUUID() } }),
      404,
      'not_found',
    );
  });

  it('reserves exactly the stock for 100 concurrent orders: none oversold, none stuck', async () => {
    await checkConcurrentOrders(system().api, 100, 30);
  }, 90_000);

  it('traces a confirmed order from the gateway through every service it touches, in one trace', async () => {
    await checkOrderTrace(system());
  });

  it('serves /metrics in valid Prometheus text on every service and the gateway', async () => {
    await product(system().api, 'warm-up').catch(() => undefined); // a 404 counted too
    await registerUser(system().api); // the user service has appended (eventuali's counter is there once it counted)
    for (const service of SERVICES) {
      const response = await fetch(`${system().url(service)}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const { families, problems } = parsePrometheusText(await response.text());
      expect(problems, `${service} /metrics`).toEqual([]);
      const requests = families.get('http_requests_total');
      expect(requests?.type).toBe('counter');
      expect(requests?.samples.every((s) => s.labels['service'] !== undefined)).toBe(true);
      expect(families.get('http_request_duration_seconds')?.type).toBe('histogram');
      expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
      if (service !== 'gateway') expect(families.get('eventuali_subscription_active') ?? families.get('eventuali_events_appended_total')).toBeDefined();
    }
    const order = parsePrometheusText(await (await fetch(`${system().url('order')}/metrics`)).text()).families;
    expect(order.get('eventuali_sagas')?.samples.some((s) => s.labels['eventuali_saga_status'] === 'completed' && s.value > 0)).toBe(true);
    expect(order.get('eventuali_subscription_lag')?.samples.some((s) => s.labels['eventuali_subscription_id'] === 'order-service.saga-starter')).toBe(true);
    expect(order.get('eventuali_handler_duration')?.type).toBe('histogram');
    // eventuali's own metrics (OpenTelemetry, serialized after the service's): the saga's appends count too.
    const appended = order.get('eventuali_events_appended_total');
    expect(appended?.type).toBe('counter');
    for (const type of ['Order', 'eventuali.Saga']) {
      expect(appended?.samples.some((s) => s.labels['eventuali_aggregate_type'] === type && s.labels['db_system_name'] === 'sqlite' && s.value > 0), type).toBe(true);
    }
    expect(order.get('eventuali_append_duration')?.type).toBe('histogram');
    const gateway = parsePrometheusText(await (await fetch(`${system().url('gateway')}/metrics`)).text()).families;
    expect(gateway.get('http_requests_total')?.samples.some((s) => s.labels['route'] === '/api/*' && s.labels['status_code'] === '201')).toBe(true);
  });
});
