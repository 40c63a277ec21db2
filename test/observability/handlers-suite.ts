import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, defineProjection, defineReadModel, defineSaga, EventStore, SagaCoordinator, type Event } from '../../src/index.js';
import type { Logger } from '../../src/observability/logger.js';
import { Pinged, Ponged, streamId, until, type StoreTarget } from '../streaming/durable/fixtures.js';
import { installOtelSdk, points, type OtelSdk } from './otel-sdk.js';

export const OrderPlaced = defineEvent('HandlersOrderPlaced', z.object({ orderId: z.string() }));

/** A logger that keeps every call, as pino would receive it. */
export function recordingLogger(): Logger & { lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] = [];
  const at = (level: string) => (fields: object, message?: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Runs `fn` inside a span of the test's own tracer, as an HTTP handler would: its trace id. */
export async function inRequest<T>(fn: () => Promise<T>): Promise<{ traceId: string; spanId: string; result: T }> {
  return trace.getTracer('test').startActiveSpan('http.request', async (span) => {
    try {
      const result = await fn();
      return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, result };
    } finally {
      span.end();
    }
  });
}

/** Appends `count` Pinged events to a stream of an aggregate type of the test's own. */
function pingAs(store: EventStore, type: string, count: number, stream = streamId()): Promise<Event[]> {
  return store.append(type, stream, 'any', Array.from({ length: count }, (_, n) => Pinged.create({ n })));
}

/** An aggregate type no other test appends to, so that a subscription sees only its test's events. */
const uniqueType = () => `Pinger-${streamId()}`;

/** The value a gauge reported for one subscription. */
const gauge = (all: Awaited<ReturnType<OtelSdk['collect']>>, name: string, id: string) =>
  points(all, name).find((p) => p.attributes['eventuali.subscription.id'] === id)?.value;

const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
const traceOf = (span: ReadableSpan | undefined) => span?.spanContext().traceId;

/** The spans, metrics and logs of subscriptions, projections and sagas, on one kind of database. */
export function describeHandlerTelemetry(makeTarget: () => StoreTarget): void {
  const target = makeTarget();
  describe(`handler telemetry: ${target.name}`, () => {
    let sdk: OtelSdk;
    const stores: EventStore[] = [];
    const coordinators: SagaCoordinator[] = [];
    const open = async (options: { logger?: Logger } = {}) => {
      const store = (await EventStore.create(target.url(), options)).register(Pinged, Ponged, OrderPlaced);
      stores.push(store);
      return store;
    };
    beforeEach(() => {
      sdk = installOtelSdk();
    });
    afterEach(async () => {
      for (const coordinator of coordinators.splice(0)) await coordinator.stop();
      for (const store of stores.splice(0)) await store.close();
      await sdk.shutdown();
    });
    afterAll(() => target.cleanup());
    const uniqueId = () => `sub-${streamId()}`;

    it('handles each event in a span continuing its producing trace, under a batch span linked to it', async () => {
      const store = await open();
      const stream = streamId();
      const type = uniqueType();
      const request = await inRequest(() => pingAs(store, type, 3, stream));
      const [append] = sdk.named('eventuali.append').filter((s) => traceOf(s) === request.traceId);
      expect(append).toBeDefined();
      const handled: Event[] = [];
      const id = uniqueId();
      const sub = store.subscribe({
        id,
        aggregateTypes: [type],
        handle: async (event, ctx) => {
          handled.push(event);
          // A reaction's append is a child of the handler's span: the trace goes on.
          if (event.aggregateVersion === 3) await store.append('Ponger', `${stream}-reply`, 'no-stream', [Ponged.create({ n: 1 }, { metadata: ctx.metadata })]);
        },
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      await until(() => handled.length === 3);

      const handles = sdk.named('eventuali.subscription.handle').filter((s) => s.attributes['messaging.destination.name'] === id);
      expect(handles).toHaveLength(3);
      for (const span of handles) {
        expect(span.kind).toBe(SpanKind.CONSUMER);
        expect(traceOf(span)).toBe(request.traceId);
        expect(parentOf(span)).toBe(append!.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'messaging.system': 'eventuali',
          'messaging.operation.type': 'process',
          'eventuali.event.type': 'Pinged',
          'eventuali.aggregate.type': type,
          'eventuali.aggregate.id': stream,
        });
      }
      expect(handles.map((s) => s.attributes['eventuali.position'])).toEqual(handled.map((e) => Number(e.globalPosition)));

      const batches = sdk.named('eventuali.subscription.batch').filter((s) => s.attributes['messaging.destination.name'] === id);
      expect(batches.length).toBeGreaterThanOrEqual(1);
      const batch = batches.find((s) => s.links.some((l) => l.context.traceId === request.traceId))!;
      expect(batch.kind).toBe(SpanKind.CONSUMER);
      // Its own trace, not the one start() was called in.
      expect(parentOf(batch)).toBeUndefined();
      expect(batch.attributes).toMatchObject({ 'messaging.system': 'eventuali', 'messaging.operation.type': 'process' });
      // The three events were stored before the subscription started: one batch delivered them.
      expect(batch.attributes).toMatchObject({
        'messaging.batch.message_count': 3,
        'eventuali.position.first': Number(handled[0]!.globalPosition),
        'eventuali.position.last': Number(handled[2]!.globalPosition),
      });

      const reactionAppend = sdk
        .named('eventuali.append')
        .find((s) => traceOf(s) === request.traceId && s.attributes['eventuali.aggregate.id'] === `${stream}-reply`);
      const lastHandle = handles.find((s) => s.attributes['eventuali.position'] === Number(handled[2]!.globalPosition));
      expect(parentOf(reactionAppend)).toBe(lastHandle!.spanContext().spanId);
    });

    it('links a batch to every trace among its events', async () => {
      const store = await open();
      const stream = streamId();
      const type = uniqueType();
      const first = await inRequest(() => pingAs(store, type, 1, stream));
      const second = await inRequest(() => pingAs(store, type, 1, stream));
      const id = uniqueId();
      const sub = store.subscribe({ id, aggregateTypes: [type], handle: () => undefined });
      await sub.start();
      await sub.waitUntilCaughtUp();
      const [batch] = sdk.named('eventuali.subscription.batch').filter((s) => s.attributes['messaging.destination.name'] === id);
      const linked = new Set(batch!.links.map((l) => l.context.traceId));
      expect(linked).toContain(first.traceId);
      expect(linked).toContain(second.traceId);
      expect(batch!.attributes['messaging.batch.message_count']).toBe(2);
    });

    it('records a failing handler on its span, counts the dead letter and handled events, and brings lag to 0', async () => {
      const store = await open();
      const stream = streamId();
      const type = uniqueType();
      await inRequest(() => pingAs(store, type, 4, stream));
      const id = uniqueId();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const sub = store.subscribe({
        id,
        aggregateTypes: [type],
        retry: { attempts: 2, backoffMs: 1 },
        handle: async (event) => {
          await gate;
          if (event.aggregateVersion === 2) throw new RangeError('no room');
        },
      });
      sub.on('error', () => undefined);
      await sub.start();
      try {
        // Active and held at the first event: all four are behind (the gauges read the store when
        // collected; a read that fails under load reports nothing that time, so collect until seen).
        await until(() => sub.isActive);
        await until(async () => gauge(await sdk.collect(), 'eventuali.subscription.lag', id) !== undefined);
        const collected = await sdk.collect();
        expect(gauge(collected, 'eventuali.subscription.lag', id)).toBe(4);
        expect(gauge(collected, 'eventuali.subscription.lag_seconds', id)).toBeGreaterThan(0);
      } finally {
        release();
      }
      await sub.waitUntilCaughtUp();

      const failed = sdk.named('eventuali.subscription.handle').filter((s) => s.attributes['messaging.destination.name'] === id && s.status.code === SpanStatusCode.ERROR);
      expect(failed).toHaveLength(2);
      expect(failed.map((s) => s.attributes['eventuali.attempt'])).toEqual([1, 2]);
      expect(failed[0]!.attributes['error.type']).toBe('RangeError');
      expect(failed[0]!.events.some((e) => e.name === 'exception')).toBe(true);

      const all = await sdk.collect();
      const mine = (name: string) => points(all, name).filter((p) => p.attributes['eventuali.subscription.id'] === id);
      expect(mine('eventuali.dead_letters')).toEqual([{ attributes: { 'eventuali.subscription.id': id }, value: 1 }]);
      const durations = mine('eventuali.handler.duration');
      const ok = durations.find((p) => p.attributes['error.type'] === undefined);
      const bad = durations.find((p) => p.attributes['error.type'] === 'RangeError');
      expect(ok?.attributes['eventuali.event.type']).toBe('Pinged');
      expect((ok?.value as { count: number }).count).toBe(3);
      expect((bad?.value as { count: number }).count).toBe(2);
      expect(mine('eventuali.subscription.lag')[0]?.value).toBe(0);
      expect(mine('eventuali.subscription.lag_seconds')[0]?.value).toBe(0);
    });

    it('runs projection and read-model batches in eventuali.projection.batch spans', async () => {
      const store = await open();
      const stream = streamId();
      const request = await inRequest(() => pingAs(store, uniqueType(), 2, stream));
      const name = `proj_${streamId().replace(/-/g, '_')}`.slice(0, 40);
      const seen: number[] = [];
      const runner = store.projection(defineProjection({ name, events: [Pinged], handlers: { Pinged: (event) => void seen.push(event.aggregateVersion) } }), {});
      const model = defineReadModel({
        name: `rm_${streamId().replace(/-/g, '_')}`.slice(0, 40),
        schema: z.object({ count: z.number() }),
        events: [Pinged],
        evolve: (doc: { count: number } | null) => ({ count: (doc?.count ?? 0) + 1 }),
      });
      const keeper = store.projection(model, {});
      await runner.start();
      await keeper.start();
      await runner.waitUntilCaughtUp();
      await keeper.waitUntilCaughtUp();
      for (const destination of [name, model.name]) {
        const batch = sdk.named('eventuali.projection.batch').find((s) => s.attributes['messaging.destination.name'] === destination && s.links.some((l) => l.context.traceId === request.traceId));
        expect(batch?.kind).toBe(SpanKind.CONSUMER);
        expect(batch?.attributes['messaging.operation.type']).toBe('process');
        const durations = points(await sdk.collect(), 'eventuali.handler.duration').filter((p) => p.attributes['eventuali.subscription.id'] === destination);
        expect(durations.length).toBeGreaterThan(0);
      }
    });

    it('logs lease, retries, dead letters and slow handlers through the logger', async () => {
      const logger = recordingLogger();
      const store = await open({ logger });
      const stream = streamId();
      const type = uniqueType();
      await pingAs(store, type, 2, stream);
      const id = uniqueId();
      const sub = store.subscribe({
        id,
        aggregateTypes: [type],
        retry: { attempts: 2, backoffMs: 1 },
        slowHandlerMs: 20,
        handle: async (event) => {
          if (event.aggregateVersion === 1) throw new Error('mailer down');
          await new Promise((resolve) => setTimeout(resolve, 40));
        },
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      await sub.stop();
      const [first, second] = await store.readAll({ aggregateTypes: [type] });
      const line = (message: string) => logger.lines.filter((l) => l.message === message && l.fields.subscriptionId === id);
      expect(line('lease acquired')[0]).toMatchObject({ level: 'info', fields: { owner: sub.owner } });
      expect(line('lease released')[0]).toMatchObject({ level: 'info', fields: { owner: sub.owner } });
      // No 'error' listener: the failures reach the logger (and only it: no process warning).
      const retried = logger.lines.filter((l) => l.fields.subscriptionId === id && l.fields.willRetry === true);
      expect(retried[0]).toMatchObject({ level: 'warn', fields: { attempt: 1, eventId: first!.eventId, position: first!.globalPosition.toString() } });
      expect((retried[0]!.fields.err as Error).message).toBe('mailer down');
      const gaveUp = logger.lines.find((l) => l.fields.subscriptionId === id && l.fields.willRetry === false);
      expect(gaveUp).toMatchObject({ fields: { attempt: 2 } });
      expect(line('event parked as a dead letter')[0]).toMatchObject({
        level: 'error',
        fields: { position: first!.globalPosition.toString(), eventType: 'Pinged', attempts: 2, error: 'Error: mailer down' },
      });
      const slow = line('slow handler').find((l) => l.fields.eventId === second!.eventId);
      expect(slow).toMatchObject({ level: 'warn', fields: { eventType: 'Pinged', slowHandlerMs: 20 } });
      expect(slow!.fields.durationMs).toBeGreaterThanOrEqual(20);
    });

    it('continues the trace of the event a saga was started from in its steps and compensations', async () => {
      const store = await open();
      const ran: string[] = [];
      const saga = defineSaga(`handlers-order-${streamId()}`, {
        input: z.object({ orderId: z.string() }),
        steps: [
          {
            name: 'reserve',
            execute: async ({ input }) => {
              ran.push('reserve');
              // A step's appends are its span's children: the trace reaches the services it calls.
              await store.append('Pinger', `${input.orderId}-stock`, 'any', [Pinged.create({ n: 1 })]);
              return { reserved: true };
            },
            compensate: async () => void ran.push('release'),
          },
          {
            name: 'charge',
            execute: async ({ input }) => {
              if (input.orderId.startsWith('declined')) throw new Error('card declined');
              return { charged: true };
            },
          },
        ],
      });
      const coordinator = new SagaCoordinator(store, { sagas: [saga] });
      coordinators.push(coordinator);
      await coordinator.startOn(OrderPlaced, (event) => ({ input: { orderId: event.data.orderId } }), { subscriptionId: uniqueId() });
      const orderId = `declined-${streamId()}`;
      const request = await inRequest(() => store.append('Order', orderId, 'no-stream', [OrderPlaced.create({ orderId })]));
      const sagaId = `${saga.name}:${request.result[0]!.eventId}`;
      await until(async () => (await coordinator.get(sagaId)) !== null);
      const state = await coordinator.waitFor(sagaId);
      expect(state.status).toBe('compensated');

      const mine = (name: string) => sdk.named(name).filter((s) => s.attributes['eventuali.saga.id'] === sagaId);
      const [reserve, charge] = mine('eventuali.saga.step');
      const [release] = mine('eventuali.saga.compensate');
      expect(reserve?.attributes).toMatchObject({ 'eventuali.saga.name': saga.name, 'eventuali.saga.step': 'reserve' });
      expect(charge?.attributes['eventuali.saga.step']).toBe('charge');
      expect(release?.attributes['eventuali.saga.step']).toBe('reserve');
      for (const span of [reserve, charge, release]) expect(traceOf(span)).toBe(request.traceId);
      // The saga started in the handler of OrderPlaced: its steps are that handler's children.
      const handle = sdk.named('eventuali.subscription.handle').find((s) => traceOf(s) === request.traceId);
      expect(parentOf(reserve)).toBe(handle!.spanContext().spanId);
      expect(charge!.status.code).toBe(SpanStatusCode.ERROR);
      expect(charge!.status.message).toBe('card declined');
      expect(reserve!.status.code).not.toBe(SpanStatusCode.ERROR);
      const stockAppend = sdk.named('eventuali.append').find((s) => s.attributes['eventuali.aggregate.id'] === `${orderId}-stock`);
      expect(parentOf(stockAppend)).toBe(reserve!.spanContext().spanId);

      const sagas = points(await sdk.collect(), 'eventuali.sagas').filter((p) => p.attributes['eventuali.saga.name'] === saga.name);
      expect(sagas).toEqual([{ attributes: { 'eventuali.saga.status': 'compensated', 'eventuali.saga.name': saga.name }, value: 1 }]);
    });

    it('resumes a saga in the trace it was started in', async () => {
      const logger = recordingLogger();
      const store = await open({ logger });
      const name = `handlers-resume-${streamId()}`;
      let entered!: () => void;
      const inStep = new Promise<void>((resolve) => (entered = resolve));
      let block = true;
      const saga = defineSaga(name, {
        steps: [
          {
            name: 'wait',
            execute: async ({ signal }) => {
              if (!block) return 'done';
              entered();
              await new Promise((resolve) => signal.addEventListener('abort', resolve));
              throw new Error('stopped');
            },
          },
        ],
      });
      const first = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 200 });
      const request = await inRequest(() => first.start(name, null));
      await inStep;
      await first.stop();
      block = false;
      const second = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 200 });
      coordinators.push(second);
      const sagaId = request.result;
      await until(async () => (await second.recover()).includes(sagaId) || (await second.get(sagaId))?.status === 'completed');
      expect((await second.waitFor(sagaId)).status).toBe('completed');
      const steps = sdk.named('eventuali.saga.step').filter((s) => s.attributes['eventuali.saga.id'] === sagaId);
      // The run the first coordinator halted, and the one the second resumed.
      expect(steps).toHaveLength(2);
      expect(steps.every((s) => traceOf(s) === request.traceId)).toBe(true);
      expect(logger.lines.find((l) => l.message === 'saga resumed' && l.fields.sagaId === sagaId)).toMatchObject({
        level: 'info',
        fields: { sagaName: name, owner: second.owner, previousOwner: first.owner, stepsCompleted: 0 },
      });
    });
  });
}
