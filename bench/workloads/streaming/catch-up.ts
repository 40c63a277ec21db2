/**
 * i3a: catch-up of a durable subscription over a large log, against the raw driver paging through
 * the same rows. Each read runs in a fresh child process (bench/workloads/catch-up-child.ts), which
 * reports events/s and RSS growth; runs alternate the readers' order round by round.
 */
import { fileURLToPath } from 'node:url';
import { startChild } from '../../lib/child.js';
import { formatWhole as fmt } from '../../lib/format.js';
import { check, describeError, emptyRow, ratio, type ResultRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { median } from '../../lib/timing.js';
import { plainLabel, type BenchDatabase, type Location, type Target } from '../../lib/targets.js';
import type { CatchUpReport } from './catch-up-child.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const CHILD = fileURLToPath(new URL('./catch-up-child.ts', import.meta.url));
const BATCH_SIZES = [100, 1000] as const;
const DEFAULT_BATCH = 100;
const MIN_RATIO = 0.5;
const LIMIT_MB = 100;
const COLUMNS = ['eventuali', 'raw', 'eventuali RSS growth (MB)', 'raw RSS growth (MB)'];
const [EVENTUALI, RAW, GROWTH, RAW_GROWTH] = COLUMNS as [string, string, string, string];

type Reader = { mode: 'eventuali' | 'raw'; batch: number };

async function readOnce(location: Location, reader: Reader, events: number): Promise<CatchUpReport> {
  const child = startChild(CHILD, [JSON.stringify(location), reader.mode, String(reader.batch), String(events)], ['--expose-gc']);
  try {
    return await child.next<CatchUpReport>('report', 900_000);
  } finally {
    await child.exited();
  }
}

const key = (r: Reader): string => `${r.mode}:${r.batch}`;

async function runOn(ctx: BenchContext, target: Target, events: number, rounds: number): Promise<ResultRow[]> {
  const rows: ResultRow[] = BATCH_SIZES.map((batch) => ({
    ...emptyRow(
      'i3a',
      `catch-up over ${events.toLocaleString('en-US')} events, batchSize ${batch}${batch === DEFAULT_BATCH ? ' (default, headline)' : ''}`,
      plainLabel(target),
      'events/s',
      COLUMNS,
    ),
    rounds: { [EVENTUALI]: [], [RAW]: [] },
  }));
  const reports = new Map<string, CatchUpReport[]>();
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('i3a');
    const seedBegin = performance.now();
    await seedLog(db.location, events);
    ctx.log(`  i3a ${target.kind}: seeded ${events.toLocaleString('en-US')} events in ${((performance.now() - seedBegin) / 1000).toFixed(1)} s`);
    const readers: Reader[] = BATCH_SIZES.flatMap((batch) => [
      { mode: 'eventuali' as const, batch },
      { mode: 'raw' as const, batch },
    ]);
    for (let round = 0; round < rounds; round++) {
      for (const reader of round % 2 === 0 ? readers : [...readers].reverse()) {
        const report = await readOnce(db.location, reader, events);
        reports.set(key(reader), [...(reports.get(key(reader)) ?? []), report]);
        ctx.log(
          `  i3a ${target.kind} ${reader.mode} batch ${reader.batch}: ${fmt(report.events / report.seconds)} events/s, ` +
            `RSS +${(report.peakMb - report.beforeMb).toFixed(1)} MB`,
        );
      }
    }
  } catch (error) {
    for (const row of rows) row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await db?.dispose().catch(() => {});
  }
  BATCH_SIZES.forEach((batch, i) => {
    const row = rows[i] as ResultRow;
    const ours = reports.get(key({ mode: 'eventuali', batch })) ?? [];
    const theirs = reports.get(key({ mode: 'raw', batch })) ?? [];
    const rates = (list: CatchUpReport[]): number[] => list.map((r) => r.events / r.seconds);
    const growth = (list: CatchUpReport[]): number | null => (list.length > 0 ? Math.max(...list.map((r) => r.peakMb - r.beforeMb)) : null);
    row.rounds = { [EVENTUALI]: rates(ours), [RAW]: rates(theirs) };
    row.values[EVENTUALI] = ours.length > 0 ? median(rates(ours)) : null;
    row.values[RAW] = theirs.length > 0 ? median(rates(theirs)) : null;
    row.values[GROWTH] = growth(ours);
    row.values[RAW_GROWTH] = growth(theirs);
    // Paired by round: each round reads with both, back to back.
    const paired = ours.map((r, n) => ratio(r.events / r.seconds, theirs[n] ? (theirs[n] as CatchUpReport).events / (theirs[n] as CatchUpReport).seconds : null));
    const known = paired.filter((x): x is number => x !== null);
    row.checks.push(check('eventuali / raw', known.length > 0 ? median(known) : null, '>=', MIN_RATIO));
    row.checks.push(check('RSS growth (MB)', row.values[GROWTH] ?? null, '<=', LIMIT_MB, 'value'));
    if (ours.length > 0) {
      row.notes.push(
        `batchSize ${batch}: rounds eventuali ${rates(ours).map(fmt).join(', ')}; raw (pages of ${batch}) ${rates(theirs).map(fmt).join(', ')} events/s; ` +
          `RSS before ${ours.map((r) => r.beforeMb.toFixed(0)).join('/')} MB, peak ${ours.map((r) => r.peakMb.toFixed(0)).join('/')} MB, ` +
          `after GC ${ours.map((r) => r.afterGcMb.toFixed(0)).join('/')} MB, ${ours.map((r) => r.samples).join('/')} RSS samples (eventuali); GC ${ours[0]?.gc ? 'on' : 'not available'}`,
      );
    }
  });
  return rows;
}

export const catchUp = durableWorkload('catch-up', 'i3a', (ctx, target) => runOn(ctx, target, ctx.settings.memoryEvents, ctx.settings.mode === 'full' ? 2 : 1), (ctx) => {
  const events = ctx.settings.memoryEvents;
  return {
    columns: COLUMNS,
    title: `Durable subscription catch-up over ${events.toLocaleString('en-US')} stored events`,
    description:
      `A store seeded with ${events.toLocaleString('en-US')} events (raw multi-row inserts in the adapter's table format; ` +
      'PostgreSQL then VACUUM ANALYZE). Each read runs in a fresh Node process (`--expose-gc`): eventuali is ' +
      "`store.subscribe({ id, from: 'start', batchSize, handle: () => {} })`, `start()`, timed until `waitUntilCaughtUp()` " +
      '(decode + zod validation of every event, the handler, lease-fenced checkpoint writes — at most every 250 ms while ' +
      'events keep coming, in the background, and one at the end; on SQLite in WAL mode without an fsync); raw is the driver paging `SELECT <columns> … WHERE global_position > ? ORDER BY global_position LIMIT <batch>` ' +
      '(PostgreSQL: every column as text) with `JSON.parse` of each row\'s data, no checkpoint. The ratio pairs the two readers ' +
      `of the same round (${events.toLocaleString('en-US')} events each) and takes the median over rounds (order alternates); ` +
      `target ≥ ${MIN_RATIO}×. RSS growth = peak − RSS after opening and a GC, sampled every 1,000 events (raw: every page) and by a 10 ms timer when the event loop runs it ` +
      `(the largest over rounds); target ≤ ${LIMIT_MB} MB. The headline is the default batchSize (${DEFAULT_BATCH}); ` +
      'batchSize 1000 is compared with raw pages of 1000.',
  };
});
