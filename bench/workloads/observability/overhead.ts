/**
 * o1: what tracing and metrics cost. `@opentelemetry/api` is installed (a dev dependency), so a
 * store with default options is instrumented; with no provider registered that must cost nothing
 * measurable: ≥ 0.97× a store opened with `{ tracing: false, metrics: false }`, on a 1a-like save
 * and on a durable subscription's catch-up. Then the same with the SDK registered and exporting to
 * nothing (noop-sdk.ts), reported against the same baseline, without a target.
 */
import { randomUUID } from 'node:crypto';
import { EventStore, type CreateStoreOptions } from '../../../src/index.js';
import { eventualiUrl, storeOptions } from '../../contenders/eventuali.js';
import { Account, AccountOpened, MoneyDeposited, applyEvents } from '../../domain/account.js';
import { formatRatio, formatWhole } from '../../lib/format.js';
import { collectGarbage } from '../../lib/gc.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { durableTargets, plainLabel, type BenchDatabase, type Location, type Target } from '../../lib/targets.js';
import { compare, median, pairedRatio, type Compared } from '../../lib/timing.js';
import type { BenchContext, Workload } from '../../lib/workload.js';
import { registerNoopSdk } from './noop-sdk.js';

const NO_PROVIDER = 'API, no provider';
const OFF = 'tracing, metrics off';
const SDK = 'SDK, no-op exporter';
const COLUMNS = [NO_PROVIDER, OFF, SDK];
const MIN_RATIO = 0.97;
const OFF_OPTIONS: CreateStoreOptions = { tracing: false, metrics: false };

async function openStore(location: Location, extra: CreateStoreOptions = {}): Promise<EventStore> {
  const store = await EventStore.create(eventualiUrl(location), { ...storeOptions(location), ...extra });
  return store.register(AccountOpened, MoneyDeposited);
}

/** Runs `phase` with the no-op SDK registered globally, and unregisters it after. */
async function withSdk<T>(phase: () => Promise<T>): Promise<T> {
  const unregister = registerNoopSdk();
  try {
    return await phase();
  } finally {
    await unregister();
  }
}

/** Stores opened for one phase, closed (and their databases dropped) after it. */
class Opened {
  readonly #closers: (() => Promise<void>)[] = [];

  async fresh(target: Target, tag: string, extra: CreateStoreOptions = {}): Promise<EventStore> {
    const db = await target.fresh(tag);
    this.#closers.push(() => db.dispose());
    return this.on(db.location, extra);
  }

  async on(location: Location, extra: CreateStoreOptions = {}): Promise<EventStore> {
    const store = await openStore(location, extra);
    this.#closers.unshift(() => store.close());
    return store;
  }

  async close(): Promise<void> {
    for (const close of this.#closers.splice(0)) await close().catch(() => {});
  }
}

const saveNew = (store: EventStore) => () => {
  const account = new Account(randomUUID());
  applyEvents(account, 1, 1);
  return store.save(account);
};

/** Saves of a new 1-event aggregate (1a), each variant into its own fresh database. */
async function appendRow(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row = emptyRow('o1', 'save a new 1-event aggregate (1a)', target.label, 'saves/s', COLUMNS);
  const options = { ...ctx.settings, concurrency: target.concurrency };
  let plain = new Map<string, Compared>();
  let traced = new Map<string, Compared>();
  const opened = new Opened();
  try {
    if (target.unavailable) throw new Error(target.unavailable);
    const withApi = await opened.fresh(target, 'o1_api');
    const off = await opened.fresh(target, 'o1_off', OFF_OPTIONS);
    plain = await compare([{ name: NO_PROVIDER, op: saveNew(withApi) }, { name: OFF, op: saveNew(off) }], options);
    await opened.close();
    traced = await withSdk(async () => {
      const sdk = await opened.fresh(target, 'o1_sdk');
      const baseline = await opened.fresh(target, 'o1_off2', OFF_OPTIONS);
      return compare([{ name: SDK, op: saveNew(sdk) }, { name: OFF, op: saveNew(baseline) }], options);
    });
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await opened.close();
  }
  record(row, plain, traced);
  ctx.log(`  o1 append ${target.label}: ${COLUMNS.map((c) => `${c} ${formatWhole(row.values[c])}`).join(', ')} saves/s`);
  return row;
}

/** Catch-up passes so far: each pass is a new subscription id, so it reads the log from the start. */
let passes = 0;

/** One pass of a new durable subscription over the whole log; events/s. */
async function catchUpOnce(store: EventStore, events: number, id: string): Promise<number> {
  let seen = 0;
  const subscription = store.subscribe({ id, from: 'start', handle: () => void seen++ });
  collectGarbage();
  const begin = performance.now();
  await subscription.start();
  await subscription.waitUntilCaughtUp({ timeoutMs: 600_000 });
  const seconds = (performance.now() - begin) / 1000;
  await subscription.stop();
  if (seen !== events) throw new Error(`the subscription saw ${seen} events, expected ${events}`);
  return events / seconds;
}

/** Catch-up passes of two stores on one log, alternating which goes first, after one warm-up pass each. */
async function compareCatchUp(entries: readonly { name: string; store: EventStore }[], events: number, rounds: number): Promise<Map<string, Compared>> {
  const results = new Map<string, Compared>(entries.map((e) => [e.name, { median: Number.NaN, rounds: [] }]));
  const id = () => `o1-${process.pid}-${passes++}`;
  for (const { store } of entries) await catchUpOnce(store, events, id());
  for (let round = 0; round < rounds; round++) {
    for (const { name, store } of round % 2 === 0 ? entries : [...entries].reverse()) {
      const perSecond = await catchUpOnce(store, events, id());
      results.get(name)?.rounds.push({ ops: events, seconds: events / perSecond, perSecond });
    }
  }
  for (const result of results.values()) result.median = median(result.rounds.map((r) => r.perSecond));
  return results;
}

/** A durable subscription catching up over a seeded log, every variant reading the same database. */
async function catchUpRow(ctx: BenchContext, target: Target, events: number): Promise<ResultRow> {
  const row = emptyRow('o1', `durable subscription catch-up over ${events.toLocaleString('en-US')} events`, plainLabel(target), 'events/s', COLUMNS);
  const rounds = ctx.settings.rounds;
  let plain = new Map<string, Compared>();
  let traced = new Map<string, Compared>();
  const opened = new Opened();
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('o1_log');
    await seedLog(db.location, events);
    const location = db.location;
    const withApi = await opened.on(location);
    const off = await opened.on(location, OFF_OPTIONS);
    plain = await compareCatchUp([{ name: NO_PROVIDER, store: withApi }, { name: OFF, store: off }], events, rounds);
    await opened.close();
    traced = await withSdk(async () => {
      const sdk = await opened.on(location);
      const baseline = await opened.on(location, OFF_OPTIONS);
      return compareCatchUp([{ name: SDK, store: sdk }, { name: OFF, store: baseline }], events, rounds);
    });
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await opened.close();
    await db?.dispose().catch(() => {});
  }
  record(row, plain, traced);
  ctx.log(`  o1 catch-up ${plainLabel(target)}: ${COLUMNS.map((c) => `${c} ${formatWhole(row.values[c])}`).join(', ')} events/s`);
  return row;
}

/** Medians, rounds, the target check on the no-provider phase, and the SDK's cost as a note. */
function record(row: ResultRow, plain: ReadonlyMap<string, Compared>, traced: ReadonlyMap<string, Compared>): void {
  const rates = (c: Compared | undefined) => c?.rounds.map((r) => r.perSecond) ?? [];
  row.values[NO_PROVIDER] = plain.get(NO_PROVIDER)?.median ?? null;
  row.values[OFF] = plain.get(OFF)?.median ?? null;
  row.values[SDK] = traced.get(SDK)?.median ?? null;
  row.rounds = { [NO_PROVIDER]: rates(plain.get(NO_PROVIDER)), [OFF]: rates(plain.get(OFF)), [SDK]: rates(traced.get(SDK)) };
  row.checks.push(check(`${NO_PROVIDER} / off`, pairedRatio(plain.get(NO_PROVIDER), plain.get(OFF)), '>=', MIN_RATIO));
  const sdkRatio = pairedRatio(traced.get(SDK), traced.get(OFF));
  const range = (list: number[]) => (list.length === 0 ? '—' : `${formatWhole(Math.min(...list))}–${formatWhole(Math.max(...list))}`);
  row.notes.push(
    `rounds: ${NO_PROVIDER} ${range(rates(plain.get(NO_PROVIDER)))}, ${OFF} ${range(rates(plain.get(OFF)))} (paired with it); ` +
      `${SDK} ${range(rates(traced.get(SDK)))}, ${OFF} ${range(rates(traced.get(OFF)))} (paired with the SDK, median ${formatWhole(traced.get(OFF)?.median)})`,
  );
  row.notes.push(`cost of the SDK with a no-op exporter: ${SDK} / off = ${formatRatio(sdkRatio)} (paired by round; no target)`);
}

export const observabilityOverhead: Workload = {
  name: 'observability',
  ids: ['o1'],
  async run(ctx) {
    const events = ctx.settings.mode === 'full' ? 50_000 : 10_000;
    const rows: ResultRow[] = [];
    for (const target of ctx.stores) rows.push(await appendRow(ctx, target));
    for (const target of durableTargets(ctx.stores)) rows.push(await catchUpRow(ctx, target, events));
    return {
      id: 'o1',
      title: 'Observability: the cost of tracing and metrics',
      description:
        '`@opentelemetry/api` is installed, so a store with default options is instrumented. ' +
        `"${NO_PROVIDER}": default options, no tracer or meter provider registered (the API's no-ops); ` +
        `"${OFF}": \`EventStore.create(url, { tracing: false, metrics: false })\`; the two are measured in interleaved rounds ` +
        `(alternating order) and their ratio, paired by round, must be ≥ ${MIN_RATIO}×. ` +
        `"${SDK}": then the Node SDK is registered (NodeTracerProvider with a BatchSpanProcessor, W3C propagator, ` +
        'AsyncLocalStorage context; a MeterProvider with a periodic reader), both exporting to exporters that drop everything, ' +
        `and measured in interleaved rounds against a new "${OFF}" store; its ratio is in the notes, without a target. ` +
        'Saves: `store.save` of a new 1-event `Account` (as 1a), each variant into its own fresh database; SQLite one caller, ' +
        'PostgreSQL eight. Catch-up: one database seeded with raw inserts, every variant\'s store opened on it; each round ' +
        "a new `store.subscribe({ id, from: 'start', handle: no-op })` is timed from `start()` to `waitUntilCaughtUp()`, " +
        'after one untimed pass per variant.',
      columns: COLUMNS,
      rows,
    };
  },
};
