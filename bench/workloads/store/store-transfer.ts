/**
 * t1: moving a store: `exportEvents` of 1,000,000 events from a SQLite file into an NDJSON file,
 * then `importEvents` of that file into an empty PostgreSQL database (the library calls behind
 * `eventuali export` and `eventuali import`). Events per second each way, and the RSS growth of
 * each process; the import must stay within 200 MB. The SQLite file is seeded with raw inserts in
 * the adapter's own table format, as for workload 3.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { sqliteFileTarget, type BenchDatabase } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';
import type { TransferReport } from './store-transfer-child.js';

const IMPORT_LIMIT_MB = 200;
const CHILD = fileURLToPath(new URL('./store-transfer-child.ts', import.meta.url));
const COLUMNS = ['events/s', 'seconds', 'RSS before', 'RSS peak', 'RSS growth'];

async function transfer(direction: 'export' | 'import', url: string, file: string): Promise<TransferReport> {
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, '--expose-gc', CHILD, direction, url, file], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as TransferReport;
}

function fill(row: ResultRow, report: TransferReport): void {
  row.values = {
    'events/s': Math.round(report.events / report.seconds),
    seconds: report.seconds,
    'RSS before': report.beforeMb,
    'RSS peak': report.peakMb,
    'RSS growth': report.peakMb - report.beforeMb,
  };
  row.notes.push(`${report.events.toLocaleString('en-US')} events in ${report.seconds.toFixed(1)} s, ${report.samples.toLocaleString('en-US')} RSS samples`);
}

export const storeTransfer: Workload = {
  name: 'transfer',
  ids: ['t1'],
  async run(ctx: BenchContext) {
    const events = ctx.settings.memoryEvents;
    const count = events.toLocaleString('en-US');
    const exportRow = emptyRow('t1', `export ${count} events to NDJSON`, 'SQLite file → file', 'events/s, s, MB', COLUMNS);
    const importRow = emptyRow('t1', `import ${count} events from NDJSON`, 'file → PostgreSQL', 'events/s, s, MB', COLUMNS);
    let source: BenchDatabase | undefined;
    let target: BenchDatabase | undefined;
    try {
      const postgres = ctx.stores.find((s) => s.kind === 'postgres');
      if (!postgres) throw new Error('needs PostgreSQL (--stores postgres)');
      source = await sqliteFileTarget('full').fresh('transfer');
      if (source.location.kind !== 'sqlite') throw new Error('expected a SQLite file');
      const seedBegin = performance.now();
      await seedLog(source.location, events);
      ctx.log(`  t1 seeded ${count} events in ${((performance.now() - seedBegin) / 1000).toFixed(1)} s`);
      const file = join(dirname(source.location.filename), 'events.ndjson');
      const exported = await transfer('export', `sqlite://${source.location.filename}`, file);
      fill(exportRow, exported);
      exportRow.notes.push(`file of ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
      ctx.log(`  t1 export ${exportRow.values['events/s']} events/s`);
      target = await postgres.fresh('transfer');
      if (target.location.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const imported = await transfer('import', target.location.connectionString, file);
      if (imported.events !== events) throw new Error(`imported ${imported.events} events, expected ${events}`);
      fill(importRow, imported);
      ctx.log(`  t1 import ${importRow.values['events/s']} events/s, RSS growth ${importRow.values['RSS growth']?.toFixed(1)} MB`);
    } catch (error) {
      const note = `did not run: ${describeError(error)}`;
      if (Object.keys(exportRow.values).length === 0) exportRow.notes.push(note);
      importRow.notes.push(note);
    } finally {
      await source?.dispose();
      await target?.dispose();
    }
    importRow.checks.push(check('import RSS growth (MB)', importRow.values['RSS growth'] ?? null, '<=', IMPORT_LIMIT_MB, 'value'));
    return {
      id: 't1',
      title: 'Moving a store: export from SQLite, import into PostgreSQL',
      description:
        `A SQLite file (synchronous=FULL) seeded with ${count} events (raw inserts in the adapter's table format, aggregates of 1,000 events). ` +
        'A fresh Node process (`--expose-gc`) runs `exportEvents` into an NDJSON file (pages of 1,000), then another runs `importEvents` ' +
        'of the file into an empty PostgreSQL database (batches of 1,000, one transaction each; the embedded server at default durability): ' +
        `what \`eventuali export\` and \`eventuali import\` do. RSS sampled every 10 ms; growth = peak − before; import target ≤ ${IMPORT_LIMIT_MB} MB.`,
      columns: COLUMNS,
      rows: [exportRow, importRow],
    };
  },
};
