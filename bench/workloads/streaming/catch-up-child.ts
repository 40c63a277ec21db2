/**
 * Child process of the catch-up workload: reads a seeded log from the start, once, and reports
 * events/s and RSS to the parent. Usage: catch-up-child.ts <location JSON> <eventuali|raw> <batch> <expected>
 *   eventuali: `store.subscribe({ id, batchSize, handle: no-op })`, started, until `waitUntilCaughtUp()`.
 *   raw: the driver, `SELECT <columns> … WHERE global_position > ? ORDER BY global_position LIMIT <batch>`
 *        page after page, and `JSON.parse` of each row's data.
 */
import pg from 'pg';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { TEXT_ONLY } from '../../contenders/raw-postgres.js';
import { EVENT_COLUMNS, parsedRows } from '../../contenders/raw-rows.js';
import { openRawSqliteDatabase } from '../../contenders/raw-sqlite.js';
import { runChild, toParent } from '../../lib/child.js';
import { collectGarbage, gcAvailable } from '../../lib/gc.js';
import { RssSampler, rssMb } from '../../lib/rss.js';
import type { Location } from '../../lib/targets.js';

export interface CatchUpReport {
  type: 'report';
  events: number;
  seconds: number;
  /** RSS after opening and a GC, before reading. */
  beforeMb: number;
  peakMb: number;
  afterGcMb: number;
  samples: number;
  gc: boolean;
}

/** Reads every event through a durable subscription; returns how many the handler saw. */
async function viaSubscription(
  location: Location,
  batchSize: number,
  sample: () => void,
  ready: () => void,
  finished: () => void,
): Promise<number> {
  const store = await openEventualiStore(location);
  let seen = 0;
  const subscription = store.subscribe({
    id: `bench-catch-up-${batchSize}-${process.pid}`,
    from: 'start',
    batchSize,
    handle: () => {
      seen++;
      if (seen % 1000 === 0) sample();
    },
  });
  ready();
  await subscription.start();
  await subscription.waitUntilCaughtUp({ timeoutMs: 900_000 });
  finished();
  await subscription.stop();
  await store.close();
  return seen;
}

function rawSqlite(filename: string, page: number, sample: () => void, ready: () => void): number {
  const db = openRawSqliteDatabase(filename, 'full');
  const select = db.prepare<[number | bigint, number], { global_position: number; data: string }>(
    `SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
  );
  ready();
  let after = 0;
  let parsed = 0;
  for (;;) {
    const rows = select.all(after, page);
    parsed += parsedRows(rows);
    sample();
    if (rows.length < page) break;
    after = (rows[rows.length - 1] as { global_position: number }).global_position;
  }
  db.close();
  return parsed;
}

async function rawPostgres(connectionString: string, page: number, sample: () => void, ready: () => void): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  const text = `SELECT ${EVENT_COLUMNS.replace('timestamp', '"timestamp"')} FROM "eventuali".events
WHERE global_position > $1 ORDER BY global_position LIMIT $2`;
  ready();
  let after = '0';
  let parsed = 0;
  for (;;) {
    const { rows } = await client.query<{ global_position: string; data: string }>({
      name: 'bench_catch_up_page',
      text,
      values: [after, page],
      types: TEXT_ONLY,
    });
    parsed += parsedRows(rows);
    sample();
    if (rows.length < page) break;
    after = (rows[rows.length - 1] as { global_position: string }).global_position;
  }
  await client.end();
  return parsed;
}

runChild(async () => {
  const [locationJson, mode, batchText, expectedText] = process.argv.slice(2);
  if (!locationJson || (mode !== 'eventuali' && mode !== 'raw') || !batchText || !expectedText) {
    throw new Error('usage: catch-up-child.ts <location JSON> <eventuali|raw> <batch> <expected>');
  }
  const location = JSON.parse(locationJson) as Location;
  const batch = Number(batchText);
  let sampler: RssSampler | undefined;
  let beforeMb = 0;
  let begin = 0;
  let end: number | undefined;
  // Called once the store or connection is open: the figures start there.
  const ready = (): void => {
    collectGarbage();
    beforeMb = rssMb();
    sampler = new RssSampler(10);
    begin = performance.now();
  };
  const sample = (): void => sampler?.sample();
  let events: number;
  if (mode === 'eventuali') events = await viaSubscription(location, batch, sample, ready, () => (end = performance.now()));
  else if (location.kind === 'sqlite') events = rawSqlite(location.filename, batch, sample, ready);
  else events = await rawPostgres(location.connectionString, batch, sample, ready);
  const seconds = ((end ?? performance.now()) - begin) / 1000;
  if (!sampler) throw new Error('never started reading');
  sampler.stop();
  collectGarbage();
  if (events !== Number(expectedText)) throw new Error(`read ${events} events, expected ${expectedText}`);
  const report: CatchUpReport = {
    type: 'report',
    events,
    seconds,
    beforeMb,
    peakMb: sampler.peakMb,
    afterGcMb: rssMb(),
    samples: sampler.samples,
    gc: gcAvailable,
  };
  await toParent(report);
});
