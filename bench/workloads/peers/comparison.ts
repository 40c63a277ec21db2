/**
 * Issue #5, "ahead of the peers": the same workloads on eventuali, on Emmett (its SQLite and
 * PostgreSQL stores, bench-only dependencies) and on the raw driver, in one run, each contender on
 * its own fresh database of the same store:
 *   p1 append 1 event to a new stream          p5 rebuild state from 1,000 events
 *   p2 append 1 event at the expected version   p6 read the whole log from the start
 *   p3 append 100 events in one call            p7 a durable consumer catching up over the log
 *   p4 read a 1,000-event stream
 * p1–p5 run with 1 and 8 concurrent callers; p6 and p7 are single readers. Targets: eventuali ≥ 1.5 ×
 * Emmett on every row, ≥ 0.7 × raw on appends and ≥ 0.5 × raw on reads.
 */
import { randomUUID } from 'node:crypto';
import type { Contender, ContenderFactory } from '../../contenders/contender.js';
import { eventuali } from '../../contenders/eventuali.js';
import { raw } from '../../contenders/raw.js';
import { benchPackageVersion, ensureBenchDeps } from '../../lib/ensure-bench-deps.js';
import { formatWhole } from '../../lib/format.js';
import { describeError, type ResultRow } from '../../lib/results.js';
import { durableTargets, plainLabel, type Target } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';
import { COLUMNS, measureOps, measurePasses, medianRatios, peerRow, type Kind } from './measure.js';
import { peerNotes } from './notes.js';

const CALLERS = [1, 8] as const;
const STREAM_EVENTS = 1000;
const BATCH_EVENTS = 100;
const PAGE = 1000;
const CONSUMER_BATCH = 100;

interface OpCase {
  id: string;
  workload: string;
  unit: string;
  kind: Kind;
  /** Untimed, per contender, before its rounds: returns the operation for one caller. */
  prepare(contender: Contender, callers: number): Promise<(caller: number) => Promise<unknown>>;
}

const OP_CASES: readonly OpCase[] = [
  {
    id: 'p1',
    workload: 'append 1 event to a new stream',
    unit: 'appends/s',
    kind: 'append',
    prepare: async (c) => () => c.appendNew(randomUUID(), 1),
  },
  {
    id: 'p2',
    workload: 'append 1 event at the expected version',
    unit: 'appends/s',
    kind: 'append',
    async prepare(c, callers) {
      const ids = Array.from({ length: callers }, (_, k) => `existing-${callers}-${k}`);
      const versions = ids.map(() => 1);
      for (const id of ids) await c.appendNew(id, 1);
      return async (caller) => {
        await c.appendAt(ids[caller] as string, versions[caller] as number);
        versions[caller] = (versions[caller] as number) + 1;
      };
    },
  },
  {
    id: 'p3',
    workload: `append ${BATCH_EVENTS} events to a new stream in one call`,
    unit: 'appends/s',
    kind: 'append',
    prepare: async (c) => () => c.appendNew(randomUUID(), BATCH_EVENTS),
  },
  {
    id: 'p4',
    workload: `read a ${STREAM_EVENTS.toLocaleString('en-US')}-event stream`,
    unit: 'reads/s',
    kind: 'read',
    prepare: async (c, callers) => {
      await seedStreams(c, callers);
      return (caller) => c.readStream(`stream-${caller}`);
    },
  },
  {
    id: 'p5',
    workload: `rebuild state from ${STREAM_EVENTS.toLocaleString('en-US')} events`,
    unit: 'rebuilds/s',
    kind: 'read',
    prepare: async (c, callers) => {
      await seedStreams(c, callers);
      for (let k = 0; k < callers; k++) {
        const version = await c.rebuild(`stream-${k}`);
        if (version !== STREAM_EVENTS) throw new Error(`${c.name} rebuilt version ${version} of ${STREAM_EVENTS}`);
      }
      return (caller) => c.rebuild(`stream-${caller}`);
    },
  },
];

/** Streams `stream-0` … of STREAM_EVENTS events, written once per contender (read-only afterwards). */
const seeded = new WeakMap<Contender, number>();
async function seedStreams(c: Contender, callers: number): Promise<void> {
  for (let k = seeded.get(c) ?? 0; k < callers; k++) {
    await c.appendNew(`stream-${k}`, STREAM_EVENTS);
    const read = await c.readStream(`stream-${k}`);
    if (read !== STREAM_EVENTS) throw new Error(`${c.name} read ${read} of ${STREAM_EVENTS} events`);
    seeded.set(c, k + 1);
  }
}

type Factories = { sqlite: ContenderFactory; postgres: ContenderFactory } | Error;

/** Installs bench/node_modules if needed and loads the Emmett contenders (outside the main typecheck). */
async function loadEmmett(log: (line: string) => void): Promise<Factories> {
  try {
    ensureBenchDeps(log);
    const load = async (file: string, name: string): Promise<ContenderFactory> => {
      // A computed specifier: tsc does not follow it, so the main typecheck needs no bench/node_modules.
      const module = (await import(new URL(file, import.meta.url).href)) as Record<string, unknown>;
      const factory = module[name];
      if (typeof factory !== 'function') throw new Error(`${file} does not export ${name}`);
      return factory as ContenderFactory;
    };
    return {
      sqlite: await load('../../contenders/emmett-sqlite.ts', 'openEmmettSqlite'),
      postgres: await load('../../contenders/emmett-postgres.ts', 'openEmmettPostgres'),
    };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

interface Opened {
  contenders: Contender[];
  /** Why a contender did not open, by name. */
  failures: Map<string, string>;
  close(): Promise<void>;
}

/** Each contender on its own fresh database of the target. */
async function openAll(target: Target, tag: string, emmett: Factories): Promise<Opened> {
  const kind = target.kind === 'postgres' ? 'postgres' : 'sqlite';
  const factories: [string, ContenderFactory | Error][] = [
    ['eventuali', eventuali],
    ['emmett', emmett instanceof Error ? emmett : emmett[kind]],
    ['raw', raw],
  ];
  const contenders: Contender[] = [];
  const disposers: (() => Promise<void>)[] = [];
  const failures = new Map<string, string>();
  for (const [name, factory] of factories) {
    try {
      if (factory instanceof Error) throw factory;
      const db = await target.fresh(`${tag}_${name}`);
      disposers.push(db.dispose);
      const contender = await factory(db.location);
      contenders.push(contender);
      disposers.push(() => contender.close());
    } catch (error) {
      failures.set(name, describeError(error));
    }
  }
  return {
    contenders,
    failures,
    async close() {
      for (const dispose of disposers.reverse()) await dispose().catch(() => {});
    },
  };
}

function storeLabel(target: Target, callers: number): string {
  return `${plainLabel(target)}, ${callers} caller${callers === 1 ? '' : 's'}`;
}

async function runOps(ctx: BenchContext, target: Target, emmett: Factories): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const opened = await openAll(target, 'p', emmett);
  try {
    for (const kase of OP_CASES) {
      for (const callers of CALLERS) {
        const row = peerRow(kase.id, kase.workload, storeLabel(target, callers), kase.unit);
        for (const [name, reason] of opened.failures) row.notes.push(`${name} did not run: ${reason}`);
        const ready: Contender[] = [];
        const ops = new Map<Contender, (caller: number) => Promise<unknown>>();
        for (const contender of opened.contenders) {
          try {
            ops.set(contender, await kase.prepare(contender, callers));
            ready.push(contender);
          } catch (error) {
            row.notes.push(`${contender.name} did not run: ${describeError(error)}`);
          }
        }
        await measureOps(row, ready, (c) => ops.get(c) as (caller: number) => Promise<unknown>, ctx.settings.peers, callers, kase.kind);
        finish(ctx, row);
        rows.push(row);
      }
    }
  } finally {
    await opened.close();
  }
  return rows;
}

async function runLog(ctx: BenchContext, target: Target, emmett: Factories): Promise<ResultRow[]> {
  const { logEvents: events, logRounds } = ctx.settings.peers;
  const count = events.toLocaleString('en-US');
  const store = storeLabel(target, 1);
  const read = peerRow('p6', `read the whole log of ${count} events from the start (pages of ${PAGE.toLocaleString('en-US')})`, store, 'events/s');
  const consume = peerRow('p7', `a consumer catching up over ${count} events (batches of ${CONSUMER_BATCH})`, store, 'events/s');
  const opened = await openAll(target, 'plog', emmett);
  try {
    for (const row of [read, consume]) for (const [name, reason] of opened.failures) row.notes.push(`${name} did not run: ${reason}`);
    const ready: Contender[] = [];
    for (const contender of opened.contenders) {
      const begin = performance.now();
      try {
        await contender.seedLog(events);
        ready.push(contender);
        ctx.log(`  p6/p7 ${target.kind} ${contender.name}: seeded ${count} events in ${((performance.now() - begin) / 1000).toFixed(1)} s`);
      } catch (error) {
        for (const row of [read, consume]) row.notes.push(`${contender.name} did not run: seeding failed: ${describeError(error)}`);
      }
    }
    await measurePasses(read, ready, (c) => c.readAll(PAGE), events, logRounds, ctx.log);
    const run = randomUUID().slice(0, 8);
    await measurePasses(consume, ready, (c, round) => c.catchUp(`peer-${run}-${round}`, events, CONSUMER_BATCH), events, logRounds, ctx.log);
  } finally {
    await opened.close();
  }
  finish(ctx, read);
  finish(ctx, consume);
  return [read, consume];
}

function finish(ctx: BenchContext, row: ResultRow): void {
  const medians = medianRatios(row);
  if (medians) row.notes.push(medians);
  row.notes.push(...peerNotes(row));
  ctx.log(`  ${row.id} ${row.store}: ${COLUMNS.map((c) => `${c} ${formatWhole(row.values[c])}`).join(', ')} ${row.unit}`);
}

/** `emmett-sqlite 0.42.4, emmett-postgresql 0.42.0 (emmett 0.42.0)`, or why they are missing. */
export function emmettVersions(): string {
  const v = (name: string): string => benchPackageVersion(`@event-driven-io/${name}`) ?? 'not installed';
  return `emmett-sqlite ${v('emmett-sqlite')}, emmett-postgresql ${v('emmett-postgresql')} (emmett ${v('emmett')}, sqlite3 ${benchPackageVersion('sqlite3') ?? 'not installed'})`;
}

export const peerComparison: Workload = {
  name: 'peers',
  ids: ['p'],
  async run(ctx) {
    const emmett = await loadEmmett(ctx.log);
    if (emmett instanceof Error) ctx.log(`  Emmett is not available: ${describeError(emmett)}`);
    const targets = durableTargets(ctx.stores);
    const rows: ResultRow[] = [];
    for (const target of targets) {
      if (target.unavailable) {
        for (const kase of OP_CASES) for (const callers of CALLERS) rows.push(notRun(kase.id, kase.workload, storeLabel(target, callers), kase.unit, target.unavailable));
        rows.push(notRun('p6', 'read the whole log from the start', storeLabel(target, 1), 'events/s', target.unavailable));
        rows.push(notRun('p7', 'a consumer catching up over the log', storeLabel(target, 1), 'events/s', target.unavailable));
        continue;
      }
      rows.push(...(await runOps(ctx, target, emmett)), ...(await runLog(ctx, target, emmett)));
    }
    rows.sort((a, b) => a.id.localeCompare(b.id)); // stable: SQLite before PostgreSQL, 1 caller before 8
    return {
      id: 'p',
      title: 'eventuali against Emmett and the raw driver (issue #5)',
      description: describe(ctx, emmett),
      columns: COLUMNS,
      rows,
    };
  },
};

function notRun(id: string, workload: string, store: string, unit: string, reason: string): ResultRow {
  const row = peerRow(id, workload, store, unit);
  row.notes.push(`did not run: ${reason}`);
  return row;
}

function describe(ctx: BenchContext, emmett: Factories): string {
  const { logEvents, warmupMs, durationMs, rounds, logRounds } = ctx.settings.peers;
  return [
    `Versions: ${emmettVersions()}${emmett instanceof Error ? ` — not loaded: ${describeError(emmett)}` : ''}.`,
    'Each contender writes the bench domain (an `AccountOpened`, then `MoneyDeposited` events) into its own fresh database through its public API:',
    'eventuali `store.append(type, id, expectedVersion, events)` with events from `defineEvent(...).create(data)` (zod-validated), `store.loadEvents`,',
    '`store.load(Account, id)`, `store.readAll` in pages, `store.subscribe({ from: \'start\', batchSize: 100 })` until `waitUntilCaughtUp()`;',
    'Emmett `appendToStream(name, [{ type, data }], { expectedStreamVersion })` (STREAM_DOES_NOT_EXIST for a new stream), `readStream`,',
    '`aggregateStream(name, { evolve, initialState })`, its exported `readMessagesBatch` in pages (its stores have no read-all method), and',
    '`consumer({ pulling: { batchSize: 100, pullingFrequencyInMs: 0 } })` with one processor (SQLite) or reactor (PostgreSQL) from the beginning',
    '(0 ms instead of the default 50 ms between full batches, which alone would cap it at 2,000 events/s); raw as described in bench/contenders/raw.ts',
    '(eventuali\'s tables, a version check + multi-row INSERT transaction per append, `SELECT` + `JSON.parse` per read, one checkpoint UPSERT per consumer page).',
    'Durability, the same on every side: SQLite files in WAL mode at synchronous=FULL (eventuali and raw set it; Emmett sets WAL and leaves SQLite\'s',
    'default, FULL, which the bench reads back from an Emmett connection before measuring); PostgreSQL is one server with its defaults',
    '(fsync, synchronous_commit and full_page_writes on), each contender in its own database, pools of 10 connections (eventuali\'s default,',
    'raw\'s, and pg\'s default under Emmett\'s Dumbo). Emmett\'s SQLite store opens a new sqlite3 connection per call (its pool does that for',
    'file databases), as its README\'s setup gets it. Emmett keeps a stream table and checks versions there; its consumers store a checkpoint',
    'per message (one transaction per batch), eventuali\'s per batch.',
    `p1–p5: interleaved rounds (${rounds} of ${durationMs} ms after ${warmupMs} ms of warm-up per contender) from 1 and 8 concurrent callers;`,
    'p2 callers each append to their own stream, p4/p5 callers each read their own 1,000-event stream. p6/p7: a log of',
    `${logEvents.toLocaleString('en-US')} events (streams of 1,000, seeded untimed: eventuali and raw by raw inserts in eventuali's format, Emmett through`,
    `appendToStream), read ${logRounds} time(s) per contender in alternating order, each pass timed from the first query to the last event.`,
    'Ratios are medians over rounds of the two contenders\' rates in the same round.',
  ].join(' ');
}
