import { isDeepStrictEqual } from 'node:util';
import type fc from 'fast-check';
import { expect } from 'vitest';
import { isEventualiError, ConcurrencyError, type DurableSubscription, type Event, type NewEvent } from '../../../src/index.js';
import { Counter, Noted, Tagged } from './events.js';
import { asStored, type AppendOutcome, type ModelBatch, type ModelEvent, type StoreModel } from './model.js';
import { AGGREGATE_IDS, describeOp, HOME_TYPE, OTHER_TYPE, SUBSCRIPTIONS, type Op } from './model-ops.js';
import type { Target } from './targets.js';
import { describe as describeError } from './integrity.js';
import { sleep } from './wait.js';

/** One store under test and what the runner learnt of it: positions it returned, subscriptions. */
export interface WorldTarget {
  target: Target;
  positions: Map<string, bigint>;
  head: bigint;
  subs: Map<string, { handle: DurableSubscription; seen: Event[] }>;
}

export interface World {
  targets: WorldTarget[];
}

/** Counts across every run, for the summary. */
export const modelStats = { runs: 0, ops: 0, appends: 0, idempotentRetries: 0, eventsWritten: 0, rejected: {} as Record<string, number> };

const SNAPSHOT_EVERY = 3;
export const MODEL_STORE_OPTIONS = { snapshotEvery: SNAPSHOT_EVERY };

/** Wraps an op as a fast-check command over (model, world). */
export class OpCommand implements fc.AsyncCommand<StoreModel, World> {
  constructor(readonly op: Op) {}
  check(): boolean {
    return true;
  }
  async run(model: StoreModel, world: World): Promise<void> {
    modelStats.ops += 1;
    await runOp(this.op, model, world);
  }
  toString(): string {
    return describeOp(this.op);
  }
}

type View = Omit<ModelEvent, never>;

function view(event: Event): View {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    aggregateId: event.aggregateId,
    aggregateType: event.aggregateType,
    aggregateVersion: event.aggregateVersion,
    timestamp: event.timestamp.getTime(),
    data: event.data,
    metadata: event.metadata,
  };
}

function errorOutcome(error: unknown): AppendOutcome {
  if (!isEventualiError(error)) return { ok: false, code: `UNTYPED ${describeError(error)}` };
  return error instanceof ConcurrencyError ? { ok: false, code: error.code, actual: error.actualVersion } : { ok: false, code: error.code };
}

function newEvents(batch: ModelBatch): NewEvent[] {
  return batch.events.map((e) => {
    const options = { eventId: e.eventId, timestamp: new Date(e.timestamp), metadata: e.metadata as Record<string, unknown> };
    return e.eventType === 'Noted' ? Noted.create(e.data as { n: number; text: string }, options) : Tagged.create(e.data as { tags: string[]; payload: never }, options);
  });
}

/** Where a target's log holds `count` events of the model's log: the position of the count-th. */
function positionAfter(wt: WorldTarget, model: StoreModel, count: number): bigint {
  if (count === 0) return 0n;
  const id = model.log[count - 1]!.eventId;
  const position = wt.positions.get(id);
  if (position === undefined) throw new Error(`${wt.target.kind} never returned a position for ${id}`);
  return position;
}

/** Records positions an append returned: a new event must come after every earlier one. */
function notePositions(wt: WorldTarget, stored: readonly Event[]): ('new' | 'same' | string)[] {
  return stored.map((event) => {
    const known = wt.positions.get(event.eventId);
    if (known !== undefined) return known === event.globalPosition ? 'same' : `moved ${known} -> ${event.globalPosition}`;
    if (event.globalPosition <= wt.head) return `not after ${wt.head}: ${event.globalPosition}`;
    wt.head = event.globalPosition;
    wt.positions.set(event.eventId, event.globalPosition);
    return 'new';
  });
}

/** Observes `observe` on every target and compares it to `expected`; PostgreSQL readers may lag in-flight transactions, so they get a bounded retry. */
async function compare<T>(world: World, op: Op, expected: T, observe: (wt: WorldTarget) => Promise<T>, settles = false): Promise<void> {
  for (const wt of world.targets) {
    let actual = await observe(wt);
    const deadline = Date.now() + 5_000;
    while (settles && wt.target.kind === 'postgres' && !isDeepStrictEqual(actual, expected) && Date.now() < deadline) {
      await sleep(20);
      actual = await observe(wt);
    }
    expect(actual, `${wt.target.kind} on ${describeOp(op)}`).toEqual(expected);
  }
}

async function append(model: StoreModel, world: World, op: Op, batch: ModelBatch): Promise<void> {
  modelStats.appends += 1;
  const outcome = model.append(batch);
  if (!outcome.ok) modelStats.rejected[outcome.code] = (modelStats.rejected[outcome.code] ?? 0) + 1;
  else if (outcome.events.some((e) => !e.fresh)) modelStats.idempotentRetries += 1;
  const expected = outcome.ok ? { ok: true, events: outcome.events.map((e) => ({ ...e, fresh: e.fresh ? 'new' : 'same' })) } : outcome;
  await compare(world, op, expected, async (wt) => {
    let stored: Event[];
    try {
      stored = await wt.target.store.append(batch.aggregateType, batch.aggregateId, batch.expected, newEvents(batch));
    } catch (error) {
      return errorOutcome(error);
    }
    const fresh = notePositions(wt, stored);
    return { ok: true, events: stored.map((e, i) => ({ eventId: e.eventId, aggregateVersion: e.aggregateVersion, fresh: fresh[i] })) };
  });
}

function batchOf(model: StoreModel, op: Extract<Op, { kind: 'append' }>): ModelBatch {
  const aggregateId = AGGREGATE_IDS[op.agg]!;
  const current = model.version(aggregateId);
  const expected =
    op.expect === 'right' ? current : op.expect === 'stale' ? (current > 0 ? current - 1 : 1) : op.expect === 'ahead' ? current + 2 : op.expect;
  const ids: string[] = [];
  const events = op.events.map((spec, i) => {
    const n = model.nextId++;
    let eventId = `e${n}${n % 3 === 0 ? `'"\\;--` : ''}`;
    if (spec.reuse === 'stored' && model.log.length > 0) eventId = model.log[spec.pick % model.log.length]!.eventId;
    if (spec.reuse === 'batch' && i > 0) eventId = ids[spec.pick % i]!;
    ids.push(eventId);
    const data = spec.type === 'Noted' ? { n: spec.n, text: spec.text } : { tags: spec.tags, payload: spec.payload };
    const metadata = spec.correlation === null ? {} : { correlationId: spec.correlation };
    return { eventId, eventType: spec.type, timestamp: 1_700_000_000_000 + n * 1000, data: asStored(data), metadata };
  });
  return { aggregateId, aggregateType: op.otherType ? OTHER_TYPE : HOME_TYPE, expected, events };
}

async function readAllPaged(wt: WorldTarget, from: bigint, limit: number, filter: Extract<Op, { kind: 'readAll' }>['filter']) {
  const options =
    filter === 'Noted' || filter === 'Tagged' ? { eventTypes: [filter] } : filter === 'none' ? {} : { aggregateTypes: [filter] };
  const pages: Event[][] = [];
  for (let after = from; ; ) {
    const page = await wt.target.store.readAll({ fromPosition: after, limit, ...options });
    pages.push(page);
    const last = page.at(-1);
    if (!last || page.length < limit) break;
    after = last.globalPosition;
  }
  const all = pages.flat();
  return {
    events: all.map(view),
    sizes: pages.map((p) => p.length),
    increasing: all.every((e, i) => i === 0 || e.globalPosition > all[i - 1]!.globalPosition),
    known: all.every((e) => wt.positions.get(e.eventId) === e.globalPosition),
  };
}

function pageSizes(total: number, limit: number): number[] {
  const sizes = Array.from({ length: Math.floor(total / limit) }, () => limit);
  sizes.push(total % limit);
  return sizes;
}

export async function runOp(op: Op, model: StoreModel, world: World): Promise<void> {
  switch (op.kind) {
    case 'append': {
      const batch = batchOf(model, op);
      model.batches.push(batch);
      return append(model, world, op, batch);
    }
    case 'retry': {
      const batch = model.batches[op.pick % Math.max(1, model.batches.length)];
      return batch ? append(model, world, op, batch) : undefined;
    }
    case 'readStream': {
      const aggregateId = AGGREGATE_IDS[op.agg]!;
      const stream = model.streams.get(aggregateId) ?? [];
      const expected = stream.slice(op.from - 1, op.to === null ? undefined : Math.max(0, op.to));
      const toVersion = op.to === null ? {} : { toVersion: op.to };
      return compare(world, op, expected, async (wt) => (await wt.target.store.loadEvents(aggregateId, { fromVersion: op.from, ...toVersion })).map(view));
    }
    case 'readAll': {
      const skip = Math.floor((op.skipPercent / 100) * model.log.length);
      const matches = (e: ModelEvent) =>
        op.filter === 'none' || (op.filter === 'Noted' || op.filter === 'Tagged' ? e.eventType === op.filter : e.aggregateType === op.filter);
      const events = model.log.slice(skip).filter(matches);
      const expected = { events, sizes: pageSizes(events.length, op.limit), increasing: true, known: true };
      return compare(world, op, expected, (wt) => readAllPaged(wt, positionAfter(wt, model, skip), op.limit, op.filter), true);
    }
    case 'position': {
      const aggregateId = AGGREGATE_IDS[op.agg]!;
      const expected = { last: true, version: model.version(aggregateId) };
      return compare(world, op, expected, async (wt) => ({
        last: (await wt.target.store.getGlobalPosition()) === positionAfter(wt, model, model.log.length),
        version: await wt.target.store.getAggregateVersion(aggregateId),
      }), true);
    }
    case 'counter':
      return counter(op, model, world);
    case 'loadCounter': {
      const expected = model.counters.get(`counter-${op.id}`) ?? null;
      return compare(world, op, expected, async (wt) => {
        const loaded = await wt.target.store.load(Counter, `counter-${op.id}`);
        return loaded && { total: loaded.total, version: loaded.version };
      });
    }
    case 'snapshot': {
      const aggregateId = `snap-${op.id}`;
      model.saveSnapshot(aggregateId, op.snapshotVersion, op.aggregateVersion, 'Snap', asStored(op.state));
      const expected = [1, 2].map((v) => model.snapshots.get(`${aggregateId}/${v}`) ?? null);
      return compare(world, op, expected, async (wt) => {
        const { adapter } = wt.target;
        const state = JSON.stringify(op.state) ?? 'null';
        await adapter.saveSnapshot({ aggregateId, aggregateType: 'Snap', aggregateVersion: op.aggregateVersion, snapshotVersion: op.snapshotVersion, state });
        return Promise.all([1, 2].map(async (v) => {
          const s = await adapter.loadSnapshot(aggregateId, v);
          return s && { aggregateVersion: s.aggregateVersion, aggregateType: s.aggregateType, state: JSON.parse(s.state) as unknown };
        }));
      });
    }
    case 'subscribe':
      return subscribe(op, model, world);
  }
}

async function counter(op: Extract<Op, { kind: 'counter' }>, model: StoreModel, world: World): Promise<void> {
  const id = `counter-${op.id}`;
  const before = model.counters.get(id) ?? { total: 0, version: 0 };
  const events = op.increments.map((by, i) => {
    const n = model.nextId++;
    return { eventId: `c${n}`, eventType: 'Counted', aggregateId: id, aggregateType: 'Counter', aggregateVersion: before.version + i + 1, timestamp: 1_700_000_000_000 + n * 1000, data: { by }, metadata: {} };
  });
  const after = { total: before.total + op.increments.reduce((a, b) => a + b, 0), version: before.version + events.length };
  for (const event of events) {
    model.log.push(event);
    model.ids.set(event.eventId, event);
  }
  model.streams.set(id, [...(model.streams.get(id) ?? []), ...events]);
  model.counters.set(id, after);
  if (Math.floor(before.version / SNAPSHOT_EVERY) < Math.floor(after.version / SNAPSHOT_EVERY)) {
    model.saveSnapshot(id, 1, after.version, 'Counter', { total: after.total });
  }
  const snapshot = model.snapshots.get(`${id}/1`) ?? null;
  const expected = { loaded: before, saved: events.map((e) => e.aggregateVersion), total: after.total, positions: events.map(() => 'new'), snapshot };
  await compare(world, op, expected, async (wt) => {
    const aggregate = (await wt.target.store.load(Counter, id)) ?? new Counter(id);
    const loaded = { total: aggregate.total, version: aggregate.version };
    events.forEach((e, i) => aggregate.add(op.increments[i]!, { eventId: e.eventId, timestamp: new Date(e.timestamp) }));
    const saved = await wt.target.store.save(aggregate);
    const stored = await wt.target.adapter.loadSnapshot(id, 1);
    return {
      loaded,
      saved: saved.map((e) => e.aggregateVersion),
      total: aggregate.total,
      positions: notePositions(wt, saved),
      snapshot: stored && { aggregateVersion: stored.aggregateVersion, aggregateType: stored.aggregateType, state: JSON.parse(stored.state) as unknown },
    };
  });
}

async function subscribe(op: Extract<Op, { kind: 'subscribe' }>, model: StoreModel, world: World): Promise<void> {
  const { id, eventTypes } = SUBSCRIPTIONS[op.sub]!;
  const from = model.checkpoints.get(id) ?? 0;
  const expected = model.log.slice(from).filter((e) => eventTypes === undefined || (eventTypes as readonly string[]).includes(e.eventType));
  model.checkpoints.set(id, model.log.length);
  await compare(world, op, expected, async (wt) => {
    let sub = wt.subs.get(id);
    if (!sub) {
      const seen: Event[] = [];
      const types = eventTypes === undefined ? {} : { eventTypes: [...eventTypes] };
      const handle = wt.target.store.subscribe({ id, ...types, batchSize: 3, pollIntervalMs: 20, handle: (event) => void seen.push(event) });
      wt.subs.set(id, (sub = { handle, seen }));
    }
    sub.seen.length = 0;
    await sub.handle.start();
    const deadline = Date.now() + 5_000;
    do await sub.handle.waitUntilCaughtUp({ timeoutMs: 10_000 });
    while (sub.seen.length < expected.length && Date.now() < deadline && (await sleep(20), true));
    await sub.handle.stop();
    return sub.seen.map(view);
  });
}
