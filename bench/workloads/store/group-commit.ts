/**
 * gc: group commit. 64 concurrent callers each appending 1-event batches to streams of their own,
 * with `groupCommit` on and off in the same run, against the raw driver's one commit per append
 * (the floor without group commit); then one caller alone, on against off.
 */
import { randomUUID } from 'node:crypto';
import { openEventuali } from '../../contenders/eventuali.js';
import { raw, RAW_SETUP, RAW_WRITE } from '../../contenders/raw.js';
import type { ContenderFactory } from '../../contenders/contender.js';
import { closeFresh, openFresh, type OpenedContender } from '../../lib/fresh-contenders.js';
import { formatWhole } from '../../lib/format.js';
import { check, describeError, emptyRow, ratio, type ResultRow } from '../../lib/results.js';
import { plainLabel, type Target } from '../../lib/targets.js';
import { compare, median, pairedRatio, recordRounds, runFor, type Compared, type Op, type Throughput } from '../../lib/timing.js';
import { collectGarbage } from '../../lib/gc.js';
import type { Settings } from '../../lib/settings.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const ON = 'groupCommit on';
const OFF = 'groupCommit: false';
const RAW = 'raw (a commit per append)';
const CALLERS = 64;

/** The target speed-up of 64 callers with group commit over without, per store (issue 18). */
const MANY_TARGET: Record<string, number> = { 'sqlite-full': 4, postgres: 2.5 };
/** One caller with group commit on is no slower than without. */
const ONE_TARGET = 0.97;

async function measure(ctx: BenchContext, target: Target, callers: number): Promise<ResultRow> {
  const columns = callers === 1 ? [ON, OFF] : [ON, OFF, RAW];
  const label = `${plainLabel(target)}, ${callers} caller${callers === 1 ? '' : 's'}`;
  const row = emptyRow('gc', `append 1 event to a new stream, ${callers} caller${callers === 1 ? '' : 's'}`, label, 'appends/s', columns);
  let opened: OpenedContender[] = [];
  let results = new Map<string, Compared>();
  try {
    if (target.unavailable) throw new Error(target.unavailable);
    const factories: Record<string, ContenderFactory> = {
      [ON]: (location) => openEventuali(location, { name: ON, groupCommit: {} }),
      [OFF]: (location) => openEventuali(location, { name: OFF, groupCommit: false }),
      [RAW]: raw,
    };
    opened = await openFresh(target, row, `gc${callers}`, columns.map((name) => ({ name, open: factories[name] as ContenderFactory })));
    const entries = opened.map(({ name, contender }) => ({ name, op: () => contender.appendNew(randomUUID(), 1) }));
    results = callers === 1 ? await alternate(entries, ctx.settings) : await compare(entries, { ...ctx.settings, concurrency: callers });
    recordRounds(row, results);
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await closeFresh(opened, ctx.log);
  }
  const wanted = callers === 1 ? ONE_TARGET : (MANY_TARGET[target.kind] ?? 1);
  row.checks.push(check(`${ON} / ${OFF}`, pairedRatio(results.get(ON), results.get(OFF)), '>=', wanted));
  if (callers > 1) {
    const overRaw = ratio(row.values[ON], row.values[RAW]);
    if (overRaw !== null) row.notes.push(`${ON} / ${RAW} of the medians: ${overRaw.toFixed(2)}×`);
  }
  ctx.log(`  gc ${label}: ${columns.map((c) => `${c} ${formatWhole(row.values[c])}`).join(', ')} appends/s`);
  return row;
}

/**
 * One caller: the sides take turns append by append (A B, B A, …), each append timed alone. A
 * commit's fsync time on a shared disk swings several-fold within a second; taking turns by the
 * append puts every swing on both sides, where rounds of 750 ms each do not.
 */
async function alternate(entries: readonly { name: string; op: Op }[], settings: Settings): Promise<Map<string, Compared>> {
  for (const entry of entries) await runFor(entry.op, { concurrency: 1, durationMs: settings.warmupMs });
  const rounds = new Map<string, Throughput[]>(entries.map((e) => [e.name, []]));
  for (let r = 0; r < settings.rounds; r++) {
    collectGarbage();
    const spent = new Map<string, number>(entries.map((e) => [e.name, 0]));
    let pairs = 0;
    const deadline = performance.now() + settings.durationMs * entries.length;
    while (performance.now() < deadline) {
      const order = pairs % 2 === 0 ? entries : [...entries].reverse();
      for (const entry of order) {
        const begin = performance.now();
        await entry.op(0);
        spent.set(entry.name, (spent.get(entry.name) ?? 0) + performance.now() - begin);
      }
      pairs++;
    }
    for (const entry of entries) {
      const seconds = (spent.get(entry.name) ?? 0) / 1000;
      rounds.get(entry.name)?.push({ ops: pairs, seconds, perSecond: pairs / seconds });
    }
  }
  return new Map([...rounds].map(([name, list]) => [name, { median: median(list.map((t) => t.perSecond)), rounds: list }]));
}

export const groupCommit = durableWorkload(
  'group-commit',
  'gc',
  async (ctx, target) => [await measure(ctx, target, CALLERS), await measure(ctx, target, 1)],
  () => ({
    title: 'Group commit: concurrent 1-event appends',
    description:
      `\`store.append(type, newId, 'no-stream', [event])\` from ${CALLERS} concurrent callers (then from one), each to new streams ` +
      `of its own, with \`groupCommit\` on (the defaults: maxBatch 128, maxDelayMs 0) and \`groupCommit: false\`, each on its own ` +
      `fresh database; 64 callers in interleaved rounds, one caller taking turns append by append (each timed alone, ` +
      `since fsync times on a shared disk swing several-fold within a round). ${RAW_WRITE} ${RAW_SETUP} Targets: with ${CALLERS} callers, on / off ≥ 4× on a SQLite ` +
      `file at synchronous=FULL and ≥ 2.5× on PostgreSQL; with one caller, on / off ≥ ${ONE_TARGET}×.`,
    columns: [ON, OFF, RAW],
  }),
);
