import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Aggregate, defineDecider, defineEvent, EventStore, type CreateStoreOptions, type Logger } from '../../src/index.js';
import { installOtelSdk, points, type OtelSdk } from './otel-sdk.js';

const Opened = defineEvent('ObsOpened', z.object({ owner: z.string() }));
const Deposited = defineEvent('ObsDeposited', z.object({ amount: z.number() }));
/** A strict metadata schema: the stored trace context must not make it fail, on append or on read. */
const Audited = defineEvent('ObsAudited', z.object({}), { metadata: z.strictObject({ clientId: z.string(), correlationId: z.string().optional() }) });

class Account extends Aggregate {
  static override readonly aggregateType = 'ObsAccount';
  balance = 0;
  open(owner: string): void {
    this.apply(Opened.create({ owner }));
  }
  deposit(amount: number): void {
    this.apply(Deposited.create({ amount }));
  }
  applyObsOpened(): void {}
  applyObsDeposited(event: { data: { amount: number } }): void {
    this.balance += event.data.amount;
  }
}

const Counter = defineDecider({
  streamType: 'ObsCounter',
  events: [Deposited] as const,
  initialState: () => 0,
  evolve: (state: number, event: { data: { amount: number } }) => state + event.data.amount,
  decide: (command: { add: number }) => [Deposited.create({ amount: command.add })],
});

export interface ObservabilityTarget {
  /** `db.system.name` the store reports. */
  dbSystem: string;
  open(options?: CreateStoreOptions): Promise<EventStore>;
}

/** Spans, trace context and metrics of the store facade, with the real OpenTelemetry SDK. */
export function describeStoreObservability(name: string, target: () => ObservabilityTarget): void {
  describe(`store observability: ${name}`, () => {
    let sdk: OtelSdk | undefined;
    const stores: EventStore[] = [];
    const open = async (options?: CreateStoreOptions) => {
      const store = await target().open(options);
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await sdk?.shutdown();
      sdk = undefined;
    });

    it('appends in an eventuali.append CLIENT span under the caller, and stores its trace context in each event', async () => {
      sdk = installOtelSdk();
      const store = await open();
      const id = `acc-${randomUUID()}`;
      const stored = await trace.getTracer('test').startActiveSpan('http.request', async (request) => {
        try {
          return await store.append('ObsAccount', id, 'no-stream', [
            Opened.create({ owner: 'ann' }, { metadata: { correlationId: 'corr-1' } }),
            Opened.create({ owner: 'bob' }),
          ]);
        } finally {
          request.end();
        }
      });
      const [request] = sdk.named('http.request');
      const [append] = sdk.named('eventuali.append');
      expect(append?.kind).toBe(SpanKind.CLIENT);
      expect(append?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
      expect(append?.attributes).toMatchObject({
        'db.system.name': target().dbSystem,
        'db.operation.name': 'append',
        'eventuali.aggregate.type': 'ObsAccount',
        'eventuali.aggregate.id': id,
        'eventuali.event.type': 'ObsOpened',
        'eventuali.event.count': 2,
        'eventuali.position.first': Number(stored[0]!.globalPosition),
        'eventuali.position.last': Number(stored[1]!.globalPosition),
        'eventuali.version': 2,
      });
      const traceparent = `00-${append!.spanContext().traceId}-${append!.spanContext().spanId}-01`;
      expect(stored.map((e) => e.metadata.traceparent)).toEqual([traceparent, traceparent]);
      const read = await store.loadEvents(id);
      expect(read.map((e) => e.metadata)).toEqual([{ correlationId: 'corr-1', traceparent }, { traceparent }]);
    });

    it('makes load, read_all, transaction and handle spans, the database calls under handle', async () => {
      sdk = installOtelSdk();
      const store = await open();
      const account = new Account(`acc-${randomUUID()}`);
      account.open('ann');
      account.deposit(5);
      const saved = await store.save(account);
      // The aggregate's own envelopes carry what was stored.
      const [firstAppend] = sdk.named('eventuali.append');
      expect(saved.map((e) => e.metadata.traceparent)).toEqual(Array(2).fill(`00-${firstAppend!.spanContext().traceId}-${firstAppend!.spanContext().spanId}-01`));
      await store.load(Account, account.id);
      await store.readAll({ aggregateTypes: ['ObsAccount'] });
      await store.transaction(async (tx) => {
        const again = await tx.load(Account, account.id);
        again!.deposit(1);
        await tx.save(again!);
      });
      const counterId = `ctr-${randomUUID()}`;
      await store.handle(Counter, counterId, { add: 2 });

      const [load] = sdk.named('eventuali.load');
      expect(load?.attributes).toMatchObject({ 'db.operation.name': 'load', 'eventuali.aggregate.type': 'ObsAccount', 'eventuali.aggregate.id': account.id, 'eventuali.version': 2 });
      const [readAll] = sdk.named('eventuali.read_all');
      expect(readAll?.kind).toBe(SpanKind.CLIENT);
      expect(readAll?.attributes['eventuali.event.count']).toBeGreaterThanOrEqual(2);
      const [transaction] = sdk.named('eventuali.transaction');
      expect(transaction?.attributes).toMatchObject({ 'db.operation.name': 'transaction', 'eventuali.event.count': 1 });
      const inTransaction = sdk.spans().filter((s) => s.parentSpanContext?.spanId === transaction?.spanContext().spanId);
      expect(inTransaction.map((s) => s.name).sort()).toEqual(['eventuali.append', 'eventuali.load']);
      const [handle] = sdk.named('eventuali.handle');
      expect(handle?.kind).toBe(SpanKind.INTERNAL);
      expect(handle?.attributes).toMatchObject({ 'eventuali.aggregate.type': 'ObsCounter', 'eventuali.aggregate.id': counterId, 'eventuali.event.count': 1, 'eventuali.version': 1 });
      const underHandle = sdk.spans().filter((s) => s.parentSpanContext?.spanId === handle?.spanContext().spanId);
      expect(underHandle.map((s) => s.name)).toEqual(['eventuali.load', 'eventuali.append']);
    });

    it('records a refused append on its span: status ERROR, the exception, error.type', async () => {
      sdk = installOtelSdk();
      const store = await open();
      const id = `acc-${randomUUID()}`;
      await store.append('ObsAccount', id, 'no-stream', [Opened.create({ owner: 'ann' })]);
      await expect(store.append('ObsAccount', id, 0, [Deposited.create({ amount: 1 })])).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
      const failed = sdk.named('eventuali.append').find((s) => s.status.code === SpanStatusCode.ERROR);
      expect(failed?.attributes['error.type']).toBe('CONCURRENCY_CONFLICT');
      expect(failed?.attributes['eventuali.expected_version']).toBe(0);
      expect(failed?.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('counts committed events by aggregate type, and times each append', async () => {
      sdk = installOtelSdk();
      const store = await open();
      const a = new Account(`acc-${randomUUID()}`);
      a.open('ann');
      a.deposit(1);
      a.deposit(2);
      await store.save(a);
      await store.append('ObsOther', `o-${randomUUID()}`, 'no-stream', [Deposited.create({ amount: 1 }), Deposited.create({ amount: 2 })]);
      // Rolled back: counts nothing.
      await expect(
        store.transaction(async (tx) => {
          await tx.append('ObsOther', `o-${randomUUID()}`, 'no-stream', [Deposited.create({ amount: 3 })]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const all = await sdk.collect();
      const system = target().dbSystem;
      expect(points(all, 'eventuali.events.appended')).toEqual([
        { attributes: { 'eventuali.aggregate.type': 'ObsAccount', 'db.system.name': system }, value: 3 },
        { attributes: { 'eventuali.aggregate.type': 'ObsOther', 'db.system.name': system }, value: 2 },
      ]);
      const durations = points(all, 'eventuali.append.duration');
      expect(durations.map((p) => [p.attributes['eventuali.aggregate.type'], (p.value as { count: number }).count])).toEqual([
        ['ObsAccount', 1],
        ['ObsOther', 1],
      ]);
      expect(all.find((m) => m.descriptor.name === 'eventuali.append.duration')?.descriptor.unit).toBe('s');
    });

    it('adds nothing without a provider, nor with tracing: false', async () => {
      const plain = await open();
      const id = `acc-${randomUUID()}`;
      const [stored] = await plain.append('ObsAccount', id, 'no-stream', [Opened.create({ owner: 'ann' })]);
      expect(stored?.metadata).toEqual({});
      sdk = installOtelSdk();
      const off = (await open({ tracing: false })).register(Opened, Deposited);
      await trace.getTracer('test').startActiveSpan('request', async (span) => {
        await off.append('ObsAccount', id, 1, [Deposited.create({ amount: 1 })]);
        span.end();
      });
      expect((await off.loadEvents(id)).map((e) => e.metadata)).toEqual([{}, {}]);
      expect(sdk.spans().map((s) => s.name)).toEqual(['request']);
      expect(points(await sdk.collect(), 'eventuali.events.appended')).toHaveLength(1);
      // The store made before the provider was registered uses it from now on.
      await plain.append('ObsAccount', `acc-${randomUUID()}`, 'no-stream', [Opened.create({ owner: 'cy' })]);
      expect(sdk.named('eventuali.append')).toHaveLength(1);
    });

    it('stores the trace context beside a strict metadata schema, which still checks the rest', async () => {
      sdk = installOtelSdk();
      const store = await open();
      const id = `aud-${randomUUID()}`;
      await store.append('ObsAudit', id, 'no-stream', [Audited.create({}, { metadata: { clientId: 'web' } })]);
      const [read] = await store.loadEvents(id);
      expect(read?.metadata).toEqual({ clientId: 'web', traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) });
      expect(() => Audited.create({}, { metadata: { clientId: 'web', extra: 1 } as never })).toThrow(expect.objectContaining({ code: 'EVENT_VALIDATION' }));
    });

    it('logs a failing handler through the logger when no error listener is attached', async () => {
      const lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] = [];
      const at = (level: string) => (fields: object, message?: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
      const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
      const store = await open({ logger });
      const id = `acc-${randomUUID()}`;
      await store.append('ObsAccount', id, 'no-stream', [Opened.create({ owner: 'ann' })]);
      const failure = new Error('handler down');
      const subscription = store.subscribe({
        id: `obs-failing-${randomUUID()}`,
        aggregateTypes: ['ObsAccount'],
        retry: { attempts: 1, backoffMs: 1 },
        handle: () => {
          throw failure;
        },
      });
      await subscription.start();
      for (let i = 0; i < 400 && !lines.some((l) => l.level === 'warn'); i++) await new Promise((r) => setTimeout(r, 50));
      await subscription.stop();
      const warning = lines.find((l) => l.level === 'warn');
      expect(warning?.message).toMatch(/handler failed on ObsOpened/);
      expect(warning?.fields.err).toBe(failure);
    });
  });
}
