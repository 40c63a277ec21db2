import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type } from 'arktype';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Aggregate,
  defineEvent,
  defineSaga,
  EventStore,
  EventValidationError,
  InvalidArgumentError,
  SagaCoordinator,
  type Event,
  type EventOf,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

// valibot: data with a default and a transform, metadata with a picklist.
const Shipped = defineEvent(
  'SchemaShipped',
  v.object({
    orderId: v.pipe(v.string(), v.minLength(1)),
    parcels: v.pipe(v.number(), v.integer(), v.minValue(1)),
    note: v.optional(v.pipe(v.string(), v.trim()), 'none'),
  }),
  { metadata: v.object({ carrier: v.picklist(['dhl', 'ups']) }) },
);
// arktype: data and metadata.
const Rated = defineEvent('SchemaRated', type({ productId: 'string > 0', stars: '1 <= number.integer <= 5' }), {
  metadata: type({ reviewer: 'string' }),
});

class Parcel extends Aggregate {
  static override readonly aggregateType = 'SchemaParcel';
  static override readonly events = [Shipped] as const;
  parcels = 0;
  note = '';
  ship(parcels: number, note?: string): void {
    this.apply(Shipped.create({ orderId: this.id, parcels, ...(note === undefined ? {} : { note }) }, { metadata: { carrier: 'dhl' } }));
  }
  applySchemaShipped(event: EventOf<typeof Shipped>): void {
    this.parcels += event.data.parcels;
    this.note = event.data.note;
  }
}

interface Target {
  name: string;
  open(): Promise<EventStore>;
  /** Another store on the same database: reads decode what the first one wrote. */
  reopen(store: EventStore): Promise<EventStore>;
  cleanup(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'eventuali-schemas-'));
let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('schemas');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

const targets: Target[] = [
  { name: 'memory', open: () => EventStore.create('memory:'), reopen: async (store) => new EventStore(store.adapter), cleanup: async () => undefined },
  {
    name: 'SQLite file',
    open: () => EventStore.create(`sqlite://${join(dir, 'events.db')}`),
    reopen: () => EventStore.create(`sqlite://${join(dir, 'events.db')}`),
    cleanup: async () => undefined,
  },
  {
    name: 'PostgreSQL',
    open: () => EventStore.create(db!.url),
    reopen: () => EventStore.create(db!.url),
    cleanup: async () => undefined,
  },
];

describe.each(targets)('Standard Schema (valibot, arktype) on $name', (target) => {
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await target.open();
    opened.push(store);
    return store;
  };
  const reopen = async (store: EventStore) => {
    const again = await target.reopen(store);
    opened.push(again);
    return again;
  };
  afterAll(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('saves a valibot-typed aggregate and loads it back in a fresh store (static events registered by load)', async () => {
    const store = await open();
    const parcel = new Parcel(`parcel-${randomUUID()}`);
    parcel.ship(2, '  fragile ');
    parcel.ship(1);
    await store.save(parcel);
    const fresh = await reopen(store);
    const loaded = await fresh.load(Parcel, parcel.id);
    expect(loaded).toMatchObject({ parcels: 3, note: 'none' });
    const events = await fresh.loadEvents(parcel.id);
    expect(events.map((e) => e.data)).toEqual([
      { orderId: parcel.id, parcels: 2, note: 'fragile' },
      { orderId: parcel.id, parcels: 1, note: 'none' },
    ]);
    expect(events.map((e) => e.metadata.carrier)).toEqual(['dhl', 'dhl']);
  });

  it('refuses data and metadata failing a valibot or arktype schema, writing nothing', async () => {
    const store = await open();
    const id = `rated-${randomUUID()}`;
    const badData = thrown(() => Shipped.create({ orderId: 'o-1', parcels: 0 }, { metadata: { carrier: 'dhl' } }));
    expect(badData).toBeInstanceOf(EventValidationError);
    expect(badData).toMatchObject({ part: 'data', issues: [expect.objectContaining({ path: ['parcels'] })] });
    expect(thrown(() => Shipped.create({ orderId: 'o-1', parcels: 1 }, { metadata: { carrier: 'fedex' as 'dhl' } }))).toMatchObject({
      code: 'EVENT_VALIDATION',
      part: 'metadata',
      issues: [expect.objectContaining({ path: ['carrier'] })],
    });
    expect(thrown(() => Rated.create({ productId: 'p-1', stars: 6 }, { metadata: { reviewer: 'ann' } }))).toMatchObject({
      code: 'EVENT_VALIDATION',
      issues: [expect.objectContaining({ path: ['stars'] })],
    });
    expect(thrown(() => Rated.create({ productId: 'p-1', stars: 5 }, {} as never))).toMatchObject({ code: 'EVENT_VALIDATION', part: 'metadata' });
    const forged = { ...Rated.create({ productId: 'p-1', stars: 5 }, { metadata: { reviewer: 'ann' } }), data: { productId: '', stars: 5 } };
    store.register(Rated);
    await expect(store.append('SchemaProduct', id, 'no-stream', [{ ...forged }])).rejects.toBeInstanceOf(EventValidationError);
    expect(await store.getAggregateVersion(id)).toBe(0);
  });

  it('reads arktype events back, and a stored row failing its schema as EVENT_DESERIALIZATION at its position', async () => {
    const store = await open();
    const id = `rated-${randomUUID()}`;
    await store.append('SchemaProduct', id, 'no-stream', [Rated.create({ productId: 'p-1', stars: 4 }, { metadata: { reviewer: 'ann' } })]);
    const [bad] = await store.adapter.append({
      aggregateId: id,
      aggregateType: 'SchemaProduct',
      expectedVersion: 1,
      events: [{ eventId: randomUUID(), eventType: 'SchemaRated', schemaVersion: 1, timestamp: new Date(), metadata: '{"reviewer":"bo"}', data: '{"productId":"p-1","stars":9}' }],
    });
    const fresh = (await reopen(store)).register(Rated);
    const [first] = await fresh.loadEvents(id, { toVersion: 1 });
    expect(first).toMatchObject({ data: { productId: 'p-1', stars: 4 }, metadata: { reviewer: 'ann' } });
    await expect(fresh.loadEvents(id)).rejects.toMatchObject({ code: 'EVENT_DESERIALIZATION', globalPosition: bad?.globalPosition });
  });

  it('hands a subscription given events only those events, decoded', async () => {
    const store = await open();
    const id = `parcel-${randomUUID()}`;
    const start = await store.getGlobalPosition();
    const product = `product-${randomUUID()}`;
    await store.append('SchemaProduct', product, 'no-stream', [Rated.create({ productId: id, stars: 3 }, { metadata: { reviewer: 'ann' } })]);
    const parcel = new Parcel(id);
    parcel.ship(1);
    await store.save(parcel);
    const seen: Event[] = [];
    const subscription = store.subscribe({
      id: `shipped-${randomUUID()}`,
      from: start,
      events: [Shipped],
      handle: (event) => {
        if (event.aggregateId === id || event.aggregateId === product) seen.push(event);
      },
    });
    await subscription.start();
    await subscription.waitUntilCaughtUp();
    await subscription.stop();
    expect(seen.map((e) => [e.eventType, e.data, e.metadata.carrier])).toEqual([['SchemaShipped', { orderId: id, parcels: 1, note: 'none' }, 'dhl']]);
  });
});

describe('schemas: what eventuali refuses', () => {
  it('refuses an async valibot schema when the event is defined', () => {
    const schema = v.pipeAsync(v.object({ a: v.string() }), v.checkAsync(async () => true));
    expect(thrown(() => defineEvent('AsyncData', schema))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => defineEvent('AsyncMeta', z.object({}), { metadata: schema }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'metadata' });
  });

  it('refuses a schema whose validation turns out async when it validates, with INVALID_ARGUMENT', () => {
    const refined = defineEvent('AsyncRefined', z.object({ a: z.string() }).refine(async () => true));
    expect(thrown(() => refined.create({ a: 'x' }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const promised = defineEvent('AsyncStandard', {
      '~standard': { version: 1, vendor: 'test', validate: async (value: unknown) => ({ value }) },
    });
    expect(thrown(() => promised.create({}))).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('async') });
  });

  it('refuses what is not a schema, and a subscription given both events and eventTypes', async () => {
    expect(thrown(() => defineEvent('NotASchema', { parse: () => 1 } as never))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'schema' });
    expect(thrown(() => defineEvent('BadMeta', z.object({}), { metadata: 'nope' as never }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'metadata' });
    expect(thrown(() => defineEvent('MapMeta', z.object({}), { metadata: z.object({ m: z.map(z.string(), z.string()) }) }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const store = await EventStore.create('memory:');
    try {
      expect(thrown(() => store.subscribe({ id: 'both', events: [Shipped], eventTypes: ['SchemaShipped'], handle: () => undefined }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'events',
      });
      expect(thrown(() => store.subscribe({ id: 'names', events: ['SchemaShipped' as never], handle: () => undefined }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'events',
      });
    } finally {
      await store.close();
    }
  });

  it('runs a saga whose input is a valibot schema: bad input is SAGA_INPUT, good input starts it', async () => {
    const store = await EventStore.create('memory:');
    const saga = defineSaga('schema-saga', {
      input: v.object({ orderId: v.pipe(v.string(), v.minLength(1)) }),
      steps: [
        { name: 'first', execute: (ctx) => ({ seen: ctx.input.orderId }) },
        { name: 'second', execute: (ctx) => ctx.results.first.seen.toUpperCase() },
      ],
    });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    try {
      await expect(coordinator.start('schema-saga', { orderId: '' })).rejects.toMatchObject({
        code: 'SAGA_INPUT',
        details: { issues: [expect.objectContaining({ path: ['orderId'] })] },
      });
      const sagaId = await coordinator.start('schema-saga', { orderId: 'o-1' });
      const state = await coordinator.waitFor(sagaId, { timeoutMs: 10_000 });
      expect(state).toMatchObject({ status: 'completed', results: { first: { seen: 'o-1' }, second: 'O-1' } });
      expect(thrown(() => defineSaga('async-input', { input: v.objectAsync({}), steps: [{ name: 'x', execute: () => 1 }] }))).toMatchObject({
        code: 'SAGA_DEFINITION',
      });
    } finally {
      await coordinator.stop();
      await store.close();
    }
  });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
