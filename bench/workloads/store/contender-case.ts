/**
 * The pattern of items 1a–1c: on each store, give each contender its own fresh database, set it up,
 * measure one operation for all of them (interleaved rounds), and hold the subject against the floor.
 */
import type { Contender } from '../../contenders/contender.js';
import { formatWhole } from '../../lib/format.js';
import { check, describeError, emptyRow, ratio, type ResultRow } from '../../lib/results.js';
import { compare, pairedRatio, recordRounds, type Compared, type Op } from '../../lib/timing.js';
import { closeFresh, openFresh, type OpenedContender } from '../../lib/fresh-contenders.js';
import type { Target } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';

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

export async function runContenderCase(ctx: BenchContext, store: Target, kase: ContenderCase): Promise<ResultRow> {
  const row = emptyRow(kase.id, kase.workload, store.label, kase.unit, ctx.contenders.map((c) => c.name));
  let opened: OpenedContender[] = [];
  let results = new Map<string, Compared>();
  try {
    if (store.unavailable) throw new Error(store.unavailable);
    opened = await openFresh(store, row, kase.id, ctx.contenders, (contender) => kase.setup?.(contender, store) ?? Promise.resolve());
    const entries = opened.map(({ name, contender }) => ({ name, op: kase.op(contender, store) }));
    if (entries.length > 0) {
      results = await compare(entries, { ...ctx.settings, concurrency: store.concurrency });
      recordRounds(row, results);
    }
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await closeFresh(opened, ctx.log);
  }
  const [subject, ...others] = ctx.contenders;
  for (const other of others) {
    if (!subject || !other.isFloor) continue;
    const label = `${subject.name} / ${other.name}`;
    row.checks.push(check(label, pairedRatio(results.get(subject.name), results.get(other.name)), '>=', kase.minRatio));
    const medians = ratio(row.values[subject.name], row.values[other.name]);
    if (medians !== null) row.notes.push(`${label} of the medians (not paired by round): ${medians.toFixed(3)}×`);
  }
  ctx.log(`  ${kase.id} ${store.label}: ${ctx.contenders.map((c) => `${c.name} ${formatWhole(row.values[c.name])}`).join(', ')} ${kase.unit}`);
  return row;
}

/** A workload of one contender case on every item-1 store: its section has a column per contender. */
export function contenderWorkload(name: string, kase: ContenderCase, title: string, description: string): Workload {
  return {
    name,
    ids: [kase.id],
    async run(ctx) {
      const rows: ResultRow[] = [];
      for (const store of ctx.stores) rows.push(await runContenderCase(ctx, store, kase));
      return { id: kase.id, title, description, columns: ctx.contenders.map((c) => c.name), rows };
    },
  };
}
