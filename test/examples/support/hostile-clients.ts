import { request } from 'node:http';
import { expect } from 'vitest';
import type { ApiAnswer, ApiClient } from '../../../examples/microservices/scripts/api-client.js';
import { expectClientError, placeOrder, product, registerUser, settledOrder, stockProduct, unique, type UserView } from './api.js';

/**
 * What clients that are careless, hostile or merely many do to the example system, and what it
 * must answer, the same on SQLite and PostgreSQL.
 */

/** A request sent exactly as written: fetch() would resolve `..` in the path before sending it. */
export function rawCall(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiAnswer<unknown>> {
  const { hostname, port } = new URL(baseUrl);
  const json = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: json === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // kept as text
        }
        const header = res.headers['x-correlation-id'];
        resolve({ status: res.statusCode ?? 0, body: parsed, correlationId: typeof header === 'string' ? header : null, etag: typeof res.headers.etag === 'string' ? res.headers.etag : null, traceId: null });
      });
    });
    req.on('error', reject);
    req.end(json);
  });
}

/** Statuses of answers, counted: `{ 201: 1, 409: 19 }`. */
function countStatuses(answers: readonly ApiAnswer<unknown>[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * Usernames and emails are unique, also under concurrency: the same registration sent 20 times at
 * once creates one user (one 201, nineteen 409); the same username or email in another case is
 * taken too; an email change claims the new email (409 when taken) and frees the old one.
 */
export async function checkUniqueUsers(api: ApiClient): Promise<void> {
  const name = unique('dup');
  const registration = { username: name, email: `${name}@example.com`, first_name: 'Dup' };
  const answers = await Promise.all(Array.from({ length: 20 }, () => api.call('POST', '/api/users', { body: registration })));
  expect(countStatuses(answers)).toEqual({ 201: 1, 409: 19 });
  for (const answer of answers.filter((a) => a.status === 409)) expect(['username_taken', 'email_taken']).toContain(expectClientError(answer, 409).error);

  const other = unique('other');
  expectClientError(await api.call('POST', '/api/users', { body: { username: name.toUpperCase(), email: `${other}@example.com` } }), 409, 'username_taken');
  expectClientError(await api.call('POST', '/api/users', { body: { username: other, email: `${name.toUpperCase()}@Example.COM` } }), 409, 'email_taken');

  // An email change: the new email is claimed, the old one given back.
  const owner = (answers.find((a) => a.status === 201)?.body ?? {}) as UserView;
  const taken = await registerUser(api);
  expectClientError(await api.call('PUT', `/api/users/${owner.user_id}/email`, { body: { new_email: taken.email } }), 409, 'email_taken');
  const renamed = `${unique('new')}@example.com`;
  await api.call('PUT', `/api/users/${owner.user_id}/email`, { body: { new_email: renamed }, expect: 200 });
  expectClientError(await api.call('POST', '/api/users', { body: { username: unique('late'), email: renamed } }), 409, 'email_taken');
  const reuse = await api.call<UserView>('POST', '/api/users', { body: { username: unique('reuse'), email: registration.email }, expect: 201 });
  expect(reuse.body.email).toBe(registration.email);

  // Several users changing to the same free email at once: one gets it.
  const racers = await Promise.all(Array.from({ length: 6 }, () => registerUser(api)));
  const contested = `${unique('contested')}@example.com`;
  const changes = await Promise.all(racers.map((u) => api.call('PUT', `/api/users/${u.user_id}/email`, { body: { new_email: contested } })));
  expect(countStatuses(changes)).toEqual({ 200: 1, 409: 5 });
}

/** A NUL character or a lone surrogate in every free-text field: 400 naming the field, never stored, never the backend's word. */
export async function checkUnstorableText(api: ApiClient): Promise<void> {
  const user = await registerUser(api);
  const item = unique('text');
  await stockProduct(api, item, 5);
  const order = await placeOrder(api, user.user_id, [{ product_id: item, quantity: 1, price: 1 }]);
  await settledOrder(api, order.body.order_id);
  const orderPath = `/api/orders/${order.body.order_id}`;
  for (const bad of ['a\u0000b', 'a\uD800', '\uDE00b']) {
    const name = unique('nul');
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/users', { username: name, email: `${name}@example.com`, first_name: bad }, 'first_name'],
      ['POST', '/api/users', { username: name, email: `${name}@example.com`, last_name: bad }, 'last_name'],
      ['POST', '/api/users', { username: `${name}${bad}`, email: `${name}@example.com` }, 'username'],
      ['PUT', `/api/users/${user.user_id}/profile`, { first_name: bad }, 'first_name'],
      ['POST', `/api/users/${user.user_id}/deactivate`, { reason: bad }, 'reason'],
      ['POST', '/api/inventory/products', { product_id: unique('p'), name: bad, quantity: 1 }, 'name'],
      ['POST', '/api/orders', { customer_id: user.user_id, items: [{ product_id: item, quantity: 1, price: 1 }], shipping_address: { city: bad } }, 'shipping_address.city'],
      ['POST', '/api/orders', { customer_id: user.user_id, items: [{ product_id: item, quantity: 1, price: 1 }], shipping_address: { [bad]: 'x' } }, 'shipping_address'],
      ['POST', `${orderPath}/ship`, { tracking_number: 'T1', carrier: bad }, 'carrier'],
      ['POST', `${orderPath}/cancel`, { reason: bad }, 'reason'],
    ];
    for (const [method, path, body, field] of cases) {
      const answer = await api.call(method, path, { body });
      const error = expectClientError(answer, 400, 'invalid_request');
      expect(error.message, `${method} ${path} ${field}`).toContain(field);
      expect(error.message).not.toMatch(/postgres|jsonb|sqlite/i);
    }
  }
  const unchanged = await api.call<UserView>('GET', `/api/users/${user.user_id}`, { expect: 200 });
  expect(unchanged.body).toMatchObject({ first_name: null, is_active: true, version: 1 });
}

/** The saga's service-to-service routes cannot be called through the gateway, however the path is spelled. */
export async function checkInternalRoutesClosed(api: ApiClient, inventoryUrl: string): Promise<void> {
  const item = unique('internal');
  await stockProduct(api, item, 5);
  const reserve = { order_id: unique('order'), items: [{ product_id: item, quantity: 5 }] };
  const paths = [
    '/api/inventory/reserve',
    '/api/inventory/release',
    '/api/inventory/commit',
    '/api/internal/inventory/reserve',
    '/api/inventory/../internal/inventory/reserve',
    '/api/inventory/%2e%2e/internal/inventory/reserve',
    '/api/inventory/%2E%2E/%2e%2e/internal/inventory/reserve',
    '/api/inventory/..%2finternal%2finventory%2freserve',
    '/api/inventory/..%2Finternal/inventory/reserve',
    '/api/users/../../internal/inventory/reserve',
    '/api/inventory/.%2e/internal/inventory/reserve?x=1',
  ];
  for (const path of paths) {
    const answer = await rawCall(api.baseUrl, 'POST', path, reserve);
    expect(answer.status, `POST ${path}: ${JSON.stringify(answer.body)}`).toBe(404);
  }
  expect(await product(api, item)).toMatchObject({ available: 5, reserved: 0, committed: 0 });
  // The route is there for the order service, on the inventory service itself.
  const direct = await rawCall(inventoryUrl, 'POST', '/internal/inventory/reserve', { ...reserve, items: [{ product_id: item, quantity: 50 }] });
  expect(direct.status).toBe(409);
  expect(direct.body).toMatchObject({ error: 'insufficient_stock', details: { shortages: [{ product_id: item, requested: 50, available: 5 }] } });
}
