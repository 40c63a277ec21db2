import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/index.js';
import { createInspector } from '../../src/inspector.js';
import { HOSTILE_NOTE, OrderPlaced, seedStore, type SeededStore } from './seed-store.js';
import { serve, type Served } from './serve.js';

const TOKEN = 'inspector-test-token';

/** The inspector's JSON API and its security checks over one seeded store (SQLite file, PostgreSQL). */
export function describeInspectorApi(name: string, open: () => Promise<EventStore>): void {
  describe(`inspector API: ${name}`, () => {
    let store: EventStore;
    let seeded: SeededStore;
    let readOnly: Served;
    let writable: Served;
    let guarded: Served;

    beforeAll(async () => {
      store = await open();
      seeded = await seedStore(store);
      const subscriptions = [seeded.emails, seeded.reports, 'audit'];
      readOnly = await serve(createInspector(store, { basePath: '/inspector', subscriptions }));
      writable = await serve(createInspector(store, { basePath: '/inspector', subscriptions, allowWrites: true }));
      guarded = await serve(createInspector(store, { basePath: '/inspector', subscriptions, allowWrites: true, token: TOKEN }));
    });
    afterAll(async () => {
      await Promise.all([readOnly?.close(), writable?.close(), guarded?.close()]);
      await seeded?.close();
      await store?.close();
    });

    const get = async (server: Served, path: string, init?: RequestInit) => fetch(`${server.origin}/inspector${path}`, { redirect: 'manual', ...init });
    const json = async (path: string) => {
      const response = await get(readOnly, path);
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, any>;
    };

    it('overview: head position, lagging and running subscriptions, sagas by status', async () => {
      const overview = await json('/api/overview');
      expect(overview.head).toBe((await store.getGlobalPosition()).toString());
      expect(overview.streams).toBe(7);
      const byId = Object.fromEntries(overview.subscriptions.map((s: { id: string }) => [s.id, s]));
      expect(byId.reports).toMatchObject({ owner: null, lag: seeded.reportsLag, lagCapped: false, deadLetters: 0 });
      expect(byId.emails).toMatchObject({ lag: 0, deadLetters: 1, replayable: true });
      expect(byId.audit).toMatchObject({ owner: null, checkpoint: null, replayable: false });
      expect(byId.emails.owner).toEqual(expect.any(String));
      expect(overview.sagas).toMatchObject({ compensated: 1, running: 0 });
      expect(overview.deadLetters).toBe(1);
      const counted = overview.rate.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0);
      expect(counted).toBeGreaterThanOrEqual(Number(overview.head) > 0 ? 1 : 0);
    });

    it('streams: by id prefix and type, counted and paged, one stream', async () => {
      const one = await json('/api/streams?id=order-1');
      expect(one).toMatchObject({ total: 1, next: null, streams: [{ aggregateId: 'order-1', aggregateType: 'Order', version: 2 }] });
      expect((await json('/api/streams?id=order-1&type=Saga')).streams).toEqual([]);
      const byType = await json('/api/streams?type=Order');
      expect(byType.total).toBe(6);
      expect(byType.streams.map((s: { aggregateId: string }) => s.aggregateId)).toEqual(['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6']);
      expect((await json('/api/streams?id=order-&after=order-4')).streams.map((s: { aggregateId: string }) => s.aggregateId)).toEqual(['order-5', 'order-6']);
      expect((await json('/api/streams?type=eventuali.Saga')).total).toBe(1);
      const stream = await json('/api/streams/order-1');
      expect(stream.events.map((e: { eventType: string }) => e.eventType)).toEqual(['OrderPlaced', 'OrderShipped']);
    });

    it('event: data as stored, links along causation and correlation ids', async () => {
      const shipped = await json(`/api/events/${seeded.shippedEventId}`);
      expect(shipped.links.cause.eventId).toBe(seeded.placedEventId);
      const placed = await json(`/api/events/${seeded.placedEventId}`);
      expect(placed.event.metadata).toEqual({ correlationId: 'corr-order-1' });
      expect(placed.links.effects.map((e: { eventId: string }) => e.eventId)).toEqual([seeded.shippedEventId]);
      expect(placed.links.correlated.map((e: { eventId: string }) => e.eventId)).toEqual([seeded.shippedEventId]);
      expect((await json(`/api/events/${seeded.hostileEventId}`)).event.data.note).toBe(HOSTILE_NOTE);
      expect((await get(readOnly, '/api/events/no-such-event')).status).toBe(404);
    });

    it('tail: the events after a position, new ones as they commit', async () => {
      const head = await store.getGlobalPosition();
      expect((await json(`/api/events?after=${head}`)).events).toEqual([]);
      await store.append('Order', 'order-tail', 'no-stream', [OrderPlaced.create({ orderId: 'order-tail', note: 'late' })]);
      const events = (await json(`/api/events?after=${head}`)).events;
      expect(events.map((e: { aggregateId: string }) => e.aggregateId)).toEqual(['order-tail']);
    });

    it('sagas: by status, one saga with its steps and compensations', async () => {
      const compensated = (await json('/api/sagas?status=compensated')).sagas;
      expect(compensated.map((s: { sagaId: string }) => s.sagaId)).toEqual([seeded.sagaId]);
      expect((await json('/api/sagas?status=running')).sagas).toEqual([]);
      expect((await get(readOnly, '/api/sagas?status=<b>')).status).toBe(400);
      const saga = await json(`/api/sagas/${seeded.sagaId}`);
      expect(saga.state).toMatchObject({ status: 'compensated', stepsCompleted: ['reserve-stock'], stepsCompensated: ['reserve-stock'] });
      expect(saga.steps.map((e: { eventType: string }) => e.eventType)).toEqual([
        'eventuali.SagaStarted',
        'eventuali.SagaStepCompleted',
        'eventuali.SagaStepFailed',
        'eventuali.SagaCompensationStarted',
        'eventuali.SagaStepCompensated',
        'eventuali.SagaCompensated',
      ]);
    });

    it('pages escape event data and are served with a strict Content-Security-Policy', async () => {
      const response = await get(readOnly, `/events/${seeded.hostileEventId}`);
      const page = await response.text();
      expect(page).not.toContain('<script>window');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const deadLetters = await (await get(readOnly, '/dead-letters')).text();
      expect(deadLetters).toContain('SMTP server refused &lt;b&gt;order-2&lt;/b&gt;');
    });

    it('refuses writes with 403 when allowWrites is off, and changes nothing', async () => {
      const [letter] = (await json('/api/dead-letters')).deadLetters;
      for (const path of [`/api/dead-letters/${letter.id}/discard`, `/api/dead-letters/${letter.id}/replay`, '/api/subscriptions/emails/replay-dead-letters']) {
        expect((await get(readOnly, path, { method: 'POST' })).status).toBe(403);
      }
      expect((await json('/api/dead-letters')).deadLetters).toEqual([letter]);
    });

    it('with a token: every request needs it; ?token= sets a cookie; a write needs it in the POST itself', async () => {
      expect((await get(guarded, '/api/overview')).status).toBe(401);
      expect((await get(guarded, '/?token=wrong-token-123')).status).toBe(401);
      const first = await get(guarded, '/streams?type=Order&token=' + TOKEN);
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/inspector/streams?type=Order');
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await get(guarded, '/streams?type=Order', { headers: { cookie } })).status).toBe(200);
      expect((await get(guarded, '/api/overview', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const replay = '/api/subscriptions/emails/replay-dead-letters';
      expect((await get(guarded, replay, { method: 'POST', headers: { cookie } })).status).toBe(403);
      const form = { 'content-type': 'application/x-www-form-urlencoded', cookie };
      expect((await get(guarded, replay, { method: 'POST', headers: form, body: 'token=wrong-token-123' })).status).toBe(403);
      const crossSite = { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' };
      expect((await get(guarded, replay, { method: 'POST', headers: crossSite })).status).toBe(403);
      const allowed = await get(guarded, replay, { method: 'POST', headers: form, body: `token=${TOKEN}` });
      expect(allowed.status).toBe(303);
      expect(allowed.headers.get('location')).toMatch(/^\/inspector\/dead-letters\?notice=/);
      expect((await json('/api/dead-letters')).deadLetters).toHaveLength(1);
    });

    it('replays dead letters with writes allowed (in process, still failing; then one by request, handled), discards by id', async () => {
      const replay = async () => (await get(writable, '/api/subscriptions/emails/replay-dead-letters', { method: 'POST' })).json();
      expect(await replay()).toEqual({ subscriptionId: 'emails', handled: 0, failed: 1 });
      seeded.heal();
      // One letter, through the store: the running subscription replays what is marked.
      const [letter] = (await json('/api/dead-letters')).deadLetters;
      const requested = await get(writable, `/api/dead-letters/${letter.id}/replay`, { method: 'POST' });
      expect(requested.status).toBe(202);
      for (let waited = 0; (await json('/api/dead-letters')).deadLetters.length > 0; waited += 100) {
        if (waited > 20_000) throw new Error('the marked dead letter was not replayed within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await replay()).toEqual({ subscriptionId: 'emails', handled: 0, failed: 0 });
      const notRunning = await get(writable, '/api/subscriptions/audit/replay-dead-letters', { method: 'POST' });
      expect(notRunning.status).toBe(409);
      expect((await get(writable, '/api/dead-letters/no-such-letter/discard', { method: 'POST' })).status).toBe(404);
      await store.adapter.addDeadLetter({
        id: 'letter-to-discard',
        subscriptionId: 'emails',
        globalPosition: 1n,
        eventId: seeded.placedEventId,
        eventType: 'OrderPlaced',
        error: 'parked by hand',
        attempts: 1,
        failedAt: new Date(),
      });
      const discarded = await get(writable, '/api/dead-letters/letter-to-discard/discard', { method: 'POST' });
      expect(discarded.status).toBe(200);
      expect((await json('/api/dead-letters')).deadLetters).toEqual([]);
    });
  });
}
