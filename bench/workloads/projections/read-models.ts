/**
 * rm: read models (issue 15), through the public API only, on SQLite FULL and PostgreSQL.
 *
 * - catch-up: a read model (`defineReadModel`, one document per event, an index on `tag`) catching
 *   up over the seeded log, against a hand-written `defineProjection` that computes the same
 *   document and writes it with one SQL upsert into a table of the same shape and index
 *   (target ≥ 0.7×). Each round runs both over the whole log into new tables, alternating order.
 * - find: `documents.find({ where: { tag } })` (an indexed equality, about 10 documents) against
 *   the same query in raw SQL on the driver (`WHERE <indexed expression> = ? ORDER BY id`, rows
 *   parsed), over the read model's table (target ≥ 0.7×).
 * - waitFor: `get(id, { waitFor })` right after a 1-event append, with the projection running:
 *   p50 and p99 of the get, in ms.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { z } from 'zod';
import { defineProjection, defineReadModel, EventStore, type Event, type ProjectionRunner } from '../../../src/index.js';
import { AccountOpened, MoneyDeposited } from '../../domain/account.js';
import { check, describeError, emptyRow, ratio, type ResultRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { plainLabel, type BenchDatabase, type Location, type Target } from '../../lib/targets.js';
import { compare, median, pairedRatio, timeOnce } from '../../lib/timing.js';
import { percentile } from '../streaming/live-latency.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const MIN_RATIO = 0.7;
const TAGS = 10_000;
const RM = 'read model';
const RAW = 'hand-written SQL';

const Entry = z.object({ account: z.string(), amount: z.number().int(), channel: z.string(), tag: z.string() });
type Entry = z.infer<typeof Entry>;

const documentId = (event: Event): string => `${event.aggregateId}:${event.aggregateVersion}`;

function entryOf(event: Event): Entry {
  const data = event.data as { amount?: number; initialDeposit?: number; channel?: string };
  return {
    account: event.aggregateId,
    amount: data.amount ?? data.initialDeposit ?? 0,
    channel: data.channel ?? 'open',
    tag: `t-${Number(event.globalPosition) % TAGS}`,
  };
}

function entriesModel(name: string) {
  return defineReadModel({
    name,
    schema: Entry,
    events: [AccountOpened, MoneyDeposited],
    documentId,
    evolve: (_doc, event) => entryOf(event),
    indexes: ['tag'],
  });
}

/** The same documents, by hand: one upsert per event into a table shaped like the read model's. */
function handWritten(name: string, postgres: boolean) {
  const p = (n: number) => (postgres ? `$${n}` : '?');
  const docType = postgres ? 'jsonb' : 'TEXT';
  const indexed = postgres ? `(doc -> 'tag')` : `json_extract(doc, '$.tag')`;
  const upsert = (query: (sql: string, params: unknown[]) => Promise<unknown>, event: Event) =>
    query(`INSERT INTO ${name} (id, doc) VALUES (${p(1)}, ${p(2)}) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, [
      documentId(event),
      JSON.stringify(entryOf(event)),
    ]);
  return defineProjection({
    name,
    events: [AccountOpened, MoneyDeposited],
    setup: async ({ query }) => {
      await query(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc ${docType} NOT NULL)`);
      await query(`CREATE INDEX IF NOT EXISTS ${name}_tag ON ${name} ((${indexed}))`);
    },
    handlers: {
      AccountOpened: (event, { query }) => upsert(query, event),
      MoneyDeposited: (event, { query }) => upsert(query, event),
    },
  });
}

function storeUrl(location: Location): string {
  return location.kind === 'sqlite' ? `sqlite://${location.filename}` : location.connectionString;
}

async function openStore(location: Location): Promise<EventStore> {
  const options = location.kind === 'sqlite' ? { synchronous: location.synchronous } : {};
  return (await EventStore.create(storeUrl(location), options)).register(AccountOpened, MoneyDeposited);
}

async function catchUp(runner: ProjectionRunner): Promise<void> {
  await runner.start();
  await runner.waitUntilCaughtUp({ timeoutMs: 1_800_000 });
}

/** A raw query on the driver, with its own connection: the floor `find` is held against. */
function rawFind(location: Location, table: string): { find: (tag: string) => Promise<unknown[]>; close: () => Promise<void> } {
  if (location.kind === 'sqlite') {
    const db = new Database(location.filename, { readonly: true });
    const statement = db.prepare<[string], { doc: string }>(`SELECT doc FROM "${table}" WHERE json_extract(doc, '$.tag') = ? ORDER BY id`);
    return {
      find: async (tag) => statement.all(tag).map((row) => JSON.parse(row.doc) as unknown),
      close: async () => void db.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: location.connectionString, max: 8 });
  return {
    find: async (tag) =>
      (await pool.query<{ doc: unknown }>({ text: `SELECT doc FROM eventuali."${table}" WHERE (doc -> 'tag') = $1::jsonb ORDER BY id`, values: [JSON.stringify(tag)] })).rows.map(
        (row) => row.doc,
      ),
    close: () => pool.end(),
  };
}

function row(target: Target, workload: string, unit: string, columns: string[]): ResultRow {
  return { ...emptyRow('rm', workload, plainLabel(target), unit, columns), rounds: {} };
}

async function runOn(ctx: BenchContext, target: Target, events: number, catchUpRounds: number, samples: number): Promise<ResultRow[]> {
  const count = events.toLocaleString('en-US');
  const catchUpRow = row(target, `catch-up over ${count} events (1 document per event, 1 index)`, 'events/s', [RM, RAW]);
  const findRow = row(target, `find, indexed equality over ${count} documents (~${events / TAGS} per query)`, 'queries/s', [RM, RAW]);
  const waitRow = row(target, 'get(id, { waitFor }) right after a 1-event append', 'ms', ['p50', 'p99']);
  const rows = [catchUpRow, findRow, waitRow];
  let db: BenchDatabase | undefined;
  let store: EventStore | undefined;
  try {
    if (target.unavailable) throw new Error(target.unavailable);
    db = await target.fresh('rm');
    await seedLog(db.location, events);
    store = await openStore(db.location);
    const postgres = db.location.kind === 'postgres';

    // Catch-up: new tables each round, the two alternating first.
    const times: Record<string, number[]> = { [RM]: [], [RAW]: [] };
    let model = entriesModel('rm_entries_0');
    let modelRunner: ProjectionRunner | undefined;
    for (let round = 0; round < catchUpRounds; round++) {
      const order = round % 2 === 0 ? [RM, RAW] : [RAW, RM];
      for (const which of order) {
        let runner: ProjectionRunner;
        if (which === RM) {
          model = entriesModel(`rm_entries_${round}`);
          runner = modelRunner = store.projection(model, { batchSize: 500 });
        } else {
          runner = store.projection(handWritten(`raw_entries_${round}`, postgres), { batchSize: 500 });
        }
        times[which]!.push(await timeOnce(() => catchUp(runner)));
        await runner.stop();
      }
    }
    const rates = (which: string) => times[which]!.map((seconds) => events / seconds);
    catchUpRow.values = { [RM]: median(rates(RM)), [RAW]: median(rates(RAW)) };
    catchUpRow.rounds = { [RM]: rates(RM), [RAW]: rates(RAW) };
    const pairs = rates(RM).map((r, i) => r / rates(RAW)[i]!);
    catchUpRow.checks.push(check(`${RM} / ${RAW}`, median(pairs), '>=', MIN_RATIO));
    ctx.log(`  rm ${target.kind}: catch-up ${Math.round(catchUpRow.values[RM]!)} vs ${Math.round(catchUpRow.values[RAW]!)} events/s`);

    // find, on the last read model's table.
    const documents = store.documents(model);
    const raw = rawFind(db.location, postgres ? `rm_${model.name}` : `eventuali_rm_${model.name}`);
    try {
      const tagOf = () => `t-${Math.floor(Math.random() * TAGS)}`;
      const found = await compare(
        [
          { name: RM, op: () => documents.find({ where: { tag: tagOf() } }) },
          { name: RAW, op: () => raw.find(tagOf()) },
        ],
        { concurrency: target.concurrency, durationMs: ctx.settings.durationMs, warmupMs: ctx.settings.warmupMs, rounds: ctx.settings.rounds },
      );
      findRow.values = { [RM]: found.get(RM)?.median ?? null, [RAW]: found.get(RAW)?.median ?? null };
      findRow.checks.push(check(`${RM} / ${RAW}`, pairedRatio(found.get(RM), found.get(RAW)) ?? ratio(findRow.values[RM], findRow.values[RAW]), '>=', MIN_RATIO));
    } finally {
      await raw.close();
    }

    // get with waitFor, the projection following live.
    const runner = modelRunner!;
    await catchUp(runner);
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const id = `account-${i % Math.max(1, events / 1000)}`;
      const [event] = await store.append('Account', id, 'any', [MoneyDeposited.create({ amount: 1 + i, reference: `wait-${i}`, channel: 'card' })]);
      const begin = performance.now();
      const doc = await documents.get(documentId(event!), { waitFor: event!.globalPosition, timeoutMs: 10_000 });
      latencies.push(performance.now() - begin);
      if (!doc) throw new Error('waitFor returned before the document was written');
    }
    await runner.stop();
    latencies.sort((a, b) => a - b);
    waitRow.values = { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    waitRow.notes.push(`${samples} appends, one after the other`);
  } catch (error) {
    for (const r of rows) r.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await store?.close();
    await db?.dispose();
  }
  return rows;
}

export const readModels = durableWorkload(
  'read-models',
  'rm',
  (ctx, target) => {
    const quick = ctx.settings.mode === 'quick';
    return runOn(ctx, target, quick ? 10_000 : 100_000, quick ? 2 : 4, quick ? 50 : 300);
  },
  () => ({
    title: 'Read models (issue 15)',
    description:
      'A read model (defineReadModel) against hand-written SQL through the public API: catch-up over the log into one ' +
      'document per event vs a defineProjection doing one SQL upsert per event into a table of the same shape and index ' +
      '(≥ 0.7×); documents.find with an indexed equality vs the same query in raw SQL on the driver (≥ 0.7×); ' +
      'get(id, { waitFor }) right after an append, p50/p99.',
    columns: [RM, RAW, 'p50', 'p99'],
  }),
);
