/**
 * This build against an earlier one, in one process, rounds interleaved: the check that a change
 * which should not cost anything (a restructuring, a hardening) costs nothing. Both builds run the
 * same work through their public API (`dist/index.js`) on their own database, alternating round by
 * round, so a busy machine slows both alike; the figure is the ratio of the medians.
 *
 *   git worktree add --detach /tmp/before <ref> && (cd /tmp/before && npm ci && npx tsup)
 *   npx tsup && npx tsx bench/profile/ab-builds.ts /tmp/before [--pg] [--rounds 12]
 *
 * `--after-options '{"groupCommit":false}'` opens the later build's stores with these options (to
 * tell what a new default costs). `--pg` adds the PostgreSQL rows (DATABASE_URL, else an embedded server, as `npm run bench`).
 * Rows: `append` (one event to a new stream) and `save` (a new 1-event aggregate, the 1a shape) on a SQLite file at NORMAL and FULL and on
 * PostgreSQL; `readAll` (pages of 1,000 over 20,000 events), `loadEvents` (1,000-event streams),
 * `catch-up` (a durable subscription from the start over 20,000 events).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { startPostgres, type PostgresServer } from '../lib/postgres-server.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- two builds loaded at run time */
type Lib = any;
type Store = any;

const args = process.argv.slice(2);
const before = args.find((a, i) => !a.startsWith('--') && !/^\d+$/.test(a) && args[i - 1] !== '--after-options');
if (!before) {
  console.error('usage: npx tsx bench/profile/ab-builds.ts <checkout of the earlier build, with dist/> [--pg] [--rounds N]');
  process.exit(2);
}
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 12;
const WITH_PG = args.includes('--pg');
const afterAt = args.indexOf('--after-options');
/** Store options for the later build only (JSON), e.g. `{"groupCommit":false}`: to tell what a new default costs. */
const AFTER_OPTIONS: object = afterAt >= 0 ? (JSON.parse(args[afterAt + 1] ?? '{}') as object) : {};
const SEEDED = 20_000;

const deposit = z.object({ amount: z.number().int().positive(), reference: z.string().min(1).max(64), channel: z.enum(['card', 'transfer', 'cash']) });

interface Side {
  readonly name: 'before' | 'after';
  readonly store: Store;
  readonly Deposited: Lib;
  /** An aggregate class of this build: `new Account(id).deposit(n)`, then `store.save` (the 1a shape). */
  readonly Account: Lib;
  readonly tag: string;
  from: bigint;
  next: number;
}

async function loadLib(dir: string): Promise<Lib> {
  return import(pathToFileURL(path.resolve(dir, 'dist/index.js')).href);
}

async function openSide(name: Side['name'], lib: Lib, url: string, options: object): Promise<Side> {
  const store = await lib.EventStore.create(url, options);
  const Deposited = lib.defineEvent('MoneyDeposited', deposit);
  store.register(Deposited);
  const Account = class extends lib.Aggregate {
    static aggregateType = 'Account';
    balance = 0;
    deposit(n: number): void {
      (this as Lib).apply(depositOf({ Deposited } as Side, n));
    }
    applyMoneyDeposited(event: { data: { amount: number } }): void {
      this.balance += event.data.amount;
    }
  };
  return { name, store, Deposited, Account, tag: `${name}-${Date.now()}`, from: 0n, next: 0 };
}

function depositOf(side: Side, n: number): unknown {
  return side.Deposited.create({ amount: 1 + (n % 500), reference: `ref-${n}`, channel: 'card' });
}

async function seed(side: Side): Promise<void> {
  side.from = await side.store.getGlobalPosition();
  for (let s = 0; s < SEEDED / 1000; s++) {
    const events = Array.from({ length: 1000 }, (_, i) => depositOf(side, i));
    await side.store.append('Account', `${side.tag}-s${s}`, 0, events);
  }
}

/** Microseconds per unit of work of each round after the first (a warm-up), for both sides. */
async function interleave(sides: readonly Side[], work: (side: Side) => Promise<number>): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(sides.map((s) => [s.name, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const started = process.hrtime.bigint();
      const units = await work(side);
      const us = Number(process.hrtime.bigint() - started) / 1000 / units;
      if (round > 0) times.get(side.name)?.push(us);
    }
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const rows: string[] = [];
function report(where: string, what: string, times: Map<string, number[]>): void {
  const b = median(times.get('before') ?? []);
  const a = median(times.get('after') ?? []);
  const row = `| ${where} | ${what} | ${b.toFixed(2)} | ${a.toFixed(2)} | ${(b / a).toFixed(3)} |`;
  rows.push(row);
  console.log(row);
}

const appendOne = (count: number) => async (side: Side) => {
  for (let i = 0; i < count; i++) {
    const n = side.next++;
    await side.store.append('Account', `${side.tag}-a${n}`, 0, [depositOf(side, n)]);
  }
  return count;
};

const saveOne = (count: number) => async (side: Side) => {
  for (let i = 0; i < count; i++) {
    const n = side.next++;
    const account = new side.Account(`${side.tag}-v${n}`);
    account.deposit(n);
    await side.store.save(account);
  }
  return count;
};

async function readAllPages(side: Side): Promise<number> {
  let position = side.from;
  let seen = 0;
  for (;;) {
    const page = await side.store.readAll({ fromPosition: position, limit: 1000 });
    if (page.length === 0 || seen >= SEEDED) return seen;
    seen += page.length;
    position = page[page.length - 1].globalPosition;
  }
}

async function loadStreams(side: Side): Promise<number> {
  let seen = 0;
  for (let s = 0; s < 10; s++) seen += (await side.store.loadEvents(`${side.tag}-s${s}`)).length;
  return seen;
}

let consumer = 0;
async function catchUp(side: Side): Promise<number> {
  let seen = 0;
  const subscription = side.store.subscribe({ id: `ab-${consumer++}`, from: 'start', batchSize: 500, handle: () => void seen++ });
  await subscription.start();
  await subscription.waitUntilCaughtUp({ timeoutMs: 600_000 });
  await subscription.stop();
  return seen;
}

async function sqliteSides(libs: [Lib, Lib], synchronous: 'normal' | 'full'): Promise<Side[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-ab-'));
  return Promise.all(
    (['before', 'after'] as const).map((name, i) => openSide(name, libs[i], `sqlite://${path.join(dir, `${name}.db`)}`, { synchronous, ...(name === 'after' ? AFTER_OPTIONS : {}) })),
  );
}

async function main(): Promise<void> {
  const libs: [Lib, Lib] = [await loadLib(before as string), await loadLib('.')];
  console.log(`| where | what | before µs | after µs | after/before throughput |\n| --- | --- | ---: | ---: | ---: |`);

  const normal = await sqliteSides(libs, 'normal');
  report('SQLite NORMAL', 'append 1 event', await interleave(normal, appendOne(2000)));
  report('SQLite NORMAL', 'save a 1-event aggregate', await interleave(normal, saveOne(2000)));
  for (const side of normal) await seed(side);
  report('SQLite NORMAL', 'readAll, per event', await interleave(normal, readAllPages));
  report('SQLite NORMAL', 'loadEvents, per event', await interleave(normal, loadStreams));
  report('SQLite NORMAL', 'catch-up, per event', await interleave(normal, catchUp));
  for (const side of normal) await side.store.close();

  const full = await sqliteSides(libs, 'full');
  report('SQLite FULL', 'append 1 event', await interleave(full, appendOne(300)));
  report('SQLite FULL', 'save a 1-event aggregate', await interleave(full, saveOne(300)));
  for (const side of full) await side.store.close();

  if (WITH_PG) {
    const server: PostgresServer = await startPostgres(() => {});
    try {
      const dbs = await Promise.all(['ab_before', 'ab_after'].map((tag) => server.createDatabase(tag)));
      const pgSides = await Promise.all(
        (['before', 'after'] as const).map((name, i) => openSide(name, libs[i], dbs[i]?.connectionString ?? '', name === 'after' ? AFTER_OPTIONS : {})),
      );
      report('PostgreSQL', 'append 1 event', await interleave(pgSides, appendOne(300)));
      report('PostgreSQL', 'save a 1-event aggregate', await interleave(pgSides, saveOne(300)));
      for (const side of pgSides) await seed(side);
      report('PostgreSQL', 'readAll, per event', await interleave(pgSides, readAllPages));
      report('PostgreSQL', 'loadEvents, per event', await interleave(pgSides, loadStreams));
      report('PostgreSQL', 'catch-up, per event', await interleave(pgSides, catchUp));
      for (const side of pgSides) await side.store.close();
    } finally {
      await server.stop();
    }
  }
  console.log(`\n${ROUNDS} rounds each, interleaved; medians. ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.`);
}

await main();
