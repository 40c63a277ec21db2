/**
 * 3: memory of `readAll` over 1,000,000 events in pages of 1000 on a SQLite file: RSS growth must
 * stay within 100 MB. The file is seeded with raw inserts in the adapter's own table format
 * (its migration, its columns, the JSON eventuali writes), then read in a child process.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { check, describeError, emptyRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { sqliteFileTarget, type BenchDatabase } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';
import type { MemoryReport } from './read-all-memory-child.js';

const LIMIT_MB = 100;
const CHILD = fileURLToPath(new URL('./read-all-memory-child.ts', import.meta.url));

async function measure(filename: string, events: number): Promise<MemoryReport> {
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, '--expose-gc', CHILD, filename, String(events)], {
    maxBuffer: 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as MemoryReport;
}

export const readAllMemory: Workload = {
  name: 'memory',
  ids: ['3'],
  async run(ctx: BenchContext) {
    const events = ctx.settings.memoryEvents;
    const workload = `readAll over ${events.toLocaleString('en-US')} events, pages of 1000`;
    const row = emptyRow('3', workload, 'SQLite file, synchronous=FULL', 'MB RSS', ['before', 'peak', 'after GC', 'growth (peak − before)']);
    let db: BenchDatabase | undefined;
    try {
      db = await sqliteFileTarget('full').fresh('memory');
      if (db.location.kind !== 'sqlite') throw new Error('expected a SQLite file');
      const seedBegin = performance.now();
      await seedLog(db.location, events);
      ctx.log(`  3 seeded ${events.toLocaleString('en-US')} events in ${((performance.now() - seedBegin) / 1000).toFixed(1)} s`);
      const report = await measure(db.location.filename, events);
      row.values = {
        before: report.beforeMb,
        peak: report.peakMb,
        'after GC': report.afterGcMb,
        'growth (peak − before)': report.peakMb - report.beforeMb,
      };
      row.notes.push(
        `${report.pages.toLocaleString('en-US')} pages in ${report.seconds.toFixed(1)} s ` +
          `(${Math.round(report.events / report.seconds).toLocaleString('en-US')} events/s), ` +
          `${report.samples.toLocaleString('en-US')} RSS samples, GC ${report.gc ? 'run before and after' : 'not available'}`,
      );
    } catch (error) {
      row.notes.push(`did not run: ${describeError(error)}`);
    } finally {
      await db?.dispose();
    }
    row.checks.push(check('RSS growth (MB)', row.values['growth (peak − before)'] ?? null, '<=', LIMIT_MB, 'value'));
    ctx.log(`  3 RSS before ${fmt(row.values['before'])} MB, peak ${fmt(row.values['peak'])} MB, growth ${fmt(row.values['growth (peak − before)'])} MB`);
    return {
      id: '3',
      title: 'Memory: readAll in pages over a large SQLite file',
      description:
        `A SQLite file seeded with ${events.toLocaleString('en-US')} events (raw inserts in the adapter's own table format). ` +
        'A fresh Node process (`--expose-gc`) opens the store, runs the GC, records RSS, then pages with ' +
        '`readAll({ fromPosition, limit: 1000 })` to the end, sampling RSS after every page and every 10 ms; ' +
        `growth = peak − before; target ≤ ${LIMIT_MB} MB.`,
      columns: Object.keys(row.values),
      rows: [row],
    };
  },
};

function fmt(value: number | null | undefined): string {
  return value == null ? '—' : value.toFixed(1);
}
