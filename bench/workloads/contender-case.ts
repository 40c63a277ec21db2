/**
 * The pattern of items 1a–1c: on one store, give each contender its own fresh database, set it up,
 * measure one operation for all of them (interleaved rounds), and hold the subject against the floor.
 */
import type { Contender } from '../contenders/contender.js';
import { check, describeError, ratio, type ResultRow } from '../lib/results.js';
import { compare, pairedRatio, type Compared, type Entry, type Op } from '../lib/timing.js';
import type { BenchDatabase, Target } from '../lib/targets.js';
import type { BenchContext } from './workload.js';

export interface ContenderCase {
  id: string;
  workload: string;
  unit: string;
  /** eventuali / floor must be at least this. */
  minRatio: number;
  /** Untimed preparation of an opened contender (seeding). */
  setup?(contender: Contender, store: Target): Promise<void>;
  /** The measured operation. */
  op(contender: Contender, store: Target): Op;
}

interface Opened {
  name: string;
  contender: Contender;
  db: BenchDatabase;
}

export async function runContenderCase(ctx: BenchContext, store: Target, kase: ContenderCase): Promise<ResultRow> {
  const row: ResultRow = {
    id: kase.id,
    workload: kase.workload,
    store: store.label,
    unit: kase.unit,
    values: Object.fromEntries(ctx.contenders.map((c) => [c.name, null])),
    checks: [],
    notes: [],
  };
  const opened: Opened[] = [];
  let results = new Map<string, Compared>();
  try {
    if (store.unavailable) throw new Error(store.unavailable);
    for (const { name, open } of ctx.contenders) {
      const db = await store.fresh(`${kase.id}_${name}`);
      let contender: Contender | undefined;
      try {
        contender = await open(db);
        await kase.setup?.(contender, store);
        opened.push({ name, contender, db });
      } catch (error) {
        row.notes.push(`${name} did not run: ${describeError(error)}`);
        await contender?.close().catch(() => {});
        await db.dispose();
      }
    }
    const entries: Entry[] = opened.map(({ name, contender }) => ({ name, op: kase.op(contender, store) }));
    if (entries.length > 0) {
      results = await compare(entries, { ...ctx.settings, concurrency: store.concurrency });
      row.rounds = {};
      for (const [name, result] of results) {
        row.values[name] = result.median;
        row.rounds[name] = result.rounds.map((r) => r.perSecond);
      }
      row.notes.push(spread(row.rounds));
    }
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    for (const { contender, db } of opened) {
      await contender.close().catch(() => {});
      await db.dispose().catch((error: unknown) => ctx.log(`  could not drop a database: ${describeError(error)}`));
    }
  }
  const [subject, ...others] = ctx.contenders;
  for (const other of others) {
    if (!subject || !other.isFloor) continue;
    const label = `${subject.name} / ${other.name}`;
    row.checks.push(check(label, pairedRatio(results.get(subject.name), results.get(other.name)), '>=', kase.minRatio));
    const medians = ratio(row.values[subject.name], row.values[other.name]);
    if (medians !== null) row.notes.push(`${label} of the medians (not paired by round): ${medians.toFixed(3)}×`);
  }
  ctx.log(`  ${kase.id} ${store.label}: ${ctx.contenders.map((c) => `${c.name} ${fmt(row.values[c.name])}`).join(', ')} ${kase.unit}`);
  return row;
}

/** `eventuali 1,510–1,640, raw …`: the range of the rounds, so noise is visible. */
export function spread(rounds: Record<string, number[]>): string {
  const range = (list: number[]): string =>
    list.length < 2 ? fmt(list[0]) : `${fmt(Math.min(...list))}–${fmt(Math.max(...list))}`;
  return `rounds: ${Object.entries(rounds).map(([name, list]) => `${name} ${range(list)}`).join(', ')}`;
}

function fmt(value: number | null | undefined): string {
  return value == null ? '—' : Math.round(value).toLocaleString('en-US');
}
