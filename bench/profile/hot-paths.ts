/**
 * Where eventuali's time goes per event, on a SQLite file at synchronous=NORMAL (no fsync per commit,
 * so CPU costs show): the append, read, decode and publish paths taken apart, each piece timed on
 * its own, with before/after toggles for the speed changes that have one. Prints a markdown table
 * (µs per operation and per event) for docs/performance.md.
 *
 *   npx tsx bench/profile/hot-paths.ts            about 30 s
 *
 * The figures are medians of 5 time-boxed runs after a warm-up; on a shared machine they drift, so
 * compare rows of one run, not across runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventStore, EventStreamer, type NewEvent } from '../../src/index.js';
import { COLUMNS_PER_ROW, EVENT_COLUMNS, INSERT_COLUMNS, rowParams, uuidv7 } from '../contenders/raw-rows.js';
import { insertStatements, openRawSqliteDatabase } from '../contenders/raw-sqlite.js';
import { Account, ACCOUNT_TYPE, AccountOpened, MoneyDeposited, depositData, newEvents } from '../domain/account.js';

const RUN_MS = 300;
const RUNS = 5;

/** µs per call of `fn` (median of RUNS runs of RUN_MS each, after a warm-up run). */
async function time(fn: () => unknown): Promise<number> {
  const once = async (ms: number): Promise<number> => {
    let calls = 0;
    const begin = performance.now();
    const end = begin + ms;
    while (performance.now() < end) {
      const result = fn();
      if (result instanceof Promise) await result;
      calls++;
    }
    return ((performance.now() - begin) * 1000) / calls;
  };
  await once(RUN_MS / 2);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(RUN_MS));
  runs.sort((a, b) => a - b);
  return runs[Math.floor(RUNS / 2)] as number;
}

const rows: string[] = [];
function report(path: string, what: string, microseconds: number, events: number, note = ''): void {
  const line = `| ${path} | ${what} | ${microseconds.toFixed(1)} | ${(microseconds / events).toFixed(2)} | ${note} |`;
  rows.push(line);
  console.log(line);
}

/** `count` events from version `from`: an opening at version 1, deposits after it. */
const deposits = (from: number, count: number): NewEvent[] => newEvents(from, from + count - 1);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-profile-'));
  const file = path.join(dir, 'events.db');
  const store = (await EventStore.create(`sqlite://${file}`, { synchronous: 'normal' })).register(AccountOpened, MoneyDeposited);
  const unvalidated = (await EventStore.create(`sqlite://${file}`, { synchronous: 'normal', validateOnRead: false })).register(
    AccountOpened,
    MoneyDeposited,
  );
  const streamer = new EventStreamer();
  // A receiver that keeps up: the default overflow policy makes publishing wait for a full one.
  const receiver = streamer.subscribe({ id: 'profile' });
  const drained = (async () => {
    for await (const _ of receiver) {
      // consumed
    }
  })();
  const publishing = (await EventStore.create(`sqlite://${file}`, { synchronous: 'normal', streamer })).register(AccountOpened, MoneyDeposited);
  const raw = openRawSqliteDatabase(file, 'normal');
  const insert = insertStatements(raw);
  const single = raw.prepare(`INSERT INTO eventuali_events (${INSERT_COLUMNS}) VALUES (${new Array(COLUMNS_PER_ROW).fill('?').join(', ')})`);
  const head = raw.prepare<[string], number>('SELECT aggregate_version FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1').pluck();
  const select = raw.prepare<[string], { data: string; metadata: string }>(`SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version`);
  let n = 0;
  const id = (): string => `p-${process.pid}-${++n}`;

  console.log('| path | operation | µs per op | µs per event | note |\n| --- | --- | ---: | ---: | --- |');
  // Encoding pieces, per event.
  const data = depositData(7);
  report('append', 'zod parse of one event (`MoneyDeposited.schema.parse`)', await time(() => MoneyDeposited.schema.parse(data)), 1);
  report('append', '`uuidv7()` (event id; the raw rows\' generator, bench/contenders/raw-rows.ts: eventuali\'s own is internal)', await time(() => uuidv7()), 1);
  report('append', '`MoneyDeposited.create(data)`: parse + id + envelope', await time(() => MoneyDeposited.create(data)), 1);
  report('append', '`JSON.stringify(data)`', await time(() => JSON.stringify(data)), 1);

  // Appends of one event to a new stream.
  report('append', 'eventuali `store.append` of 1 event, new stream', await time(() => store.append(ACCOUNT_TYPE, id(), 'no-stream', deposits(1, 1))), 1);
  const rawAppend = raw.transaction((streamId: string, expected: number, count: number, params: unknown[]) => {
    if ((head.get(streamId) ?? 0) !== expected) throw new Error('conflict');
    insert(count).run(params);
  });
  report('append', 'raw version check + INSERT transaction, 1 event', await time(() => rawAppend.immediate(id(), 0, 1, rowParams(id(), 1, 1, (ms) => ms))), 1);
  report('publish', 'eventuali `store.append` of 1 event with an EventStreamer and one receiver', await time(() => publishing.append(ACCOUNT_TYPE, id(), 'no-stream', deposits(1, 1))), 1);

  // Batches of 100: the multi-row INSERT against one INSERT per row (before/after of sqlite-append.ts).
  report('append', 'eventuali `store.append` of 100 events, new stream', await time(() => store.append(ACCOUNT_TYPE, id(), 'no-stream', deposits(1, 100))), 100);
  report('append', 'raw: 100 events, multi-row INSERTs of 64 + 36 rows, one transaction', await time(() => rawAppend.immediate(id(), 0, 100, rowParams(id(), 1, 100, (ms) => ms))), 100);
  const perRow = raw.transaction((streamId: string) => {
    for (let v = 1; v <= 100; v++) single.run(rowParams(streamId, v, v, (ms) => ms));
  });
  report('append', 'raw: 100 events, one single-row INSERT each, one transaction (before)', await time(() => perRow.immediate(id())), 100);
  // Validation reuse: create() validates; append stores that data. Before, append parsed it again.
  const hundred = deposits(2, 100).map((e) => e.data);
  report('append', 'a second zod parse of 100 events (what reusing create()\'s data saves)', await time(() => hundred.map((d) => MoneyDeposited.schema.parse(d))), 100);

  // Reads of a 1,000-event stream.
  const stream = id();
  await store.append(ACCOUNT_TYPE, stream, 'no-stream', deposits(1, 1000));
  report('read', 'raw `SELECT` of 1,000 rows (better-sqlite3, no parsing)', await time(() => select.all(stream)), 1000);
  report('read', 'raw `SELECT` + `JSON.parse` of each data', await time(() => select.all(stream).map((r) => JSON.parse(r.data) as unknown)), 1000);
  report('decode', 'eventuali `store.loadEvents`, validateOnRead: false (decode, no zod)', await time(() => unvalidated.loadEvents(stream)), 1000);
  report('decode', 'eventuali `store.loadEvents` (default: zod validation on read)', await time(() => store.loadEvents(stream)), 1000);
  report('decode', 'eventuali `store.load(Account, id)` (decode, validate, replay)', await time(() => store.load(Account, stream)), 1000);
  report('decode', 'eventuali `store.load(Account, id)`, validateOnRead: false', await time(() => unvalidated.load(Account, stream)), 1000);
  const events = await store.loadEvents(stream);
  report('decode', 'zod parse of the 1,000 decoded events alone', await time(() => events.map((e) => (e.eventType === 'AccountOpened' ? AccountOpened : MoneyDeposited).schema.parse(e.data))), 1000);
  report('read', 'eventuali `store.readAll` page of 1,000 (default validation)', await time(() => store.readAll({ limit: 1000 })), 1000);
  report('read', 'eventuali `store.readAll` page of 1,000, validateOnRead: false', await time(() => unvalidated.readAll({ limit: 1000 })), 1000);

  await Promise.all([store.close(), unvalidated.close(), publishing.close()]);
  receiver.close();
  await drained;
  raw.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(new URL('../.out/', import.meta.url), { recursive: true });
  fs.writeFileSync(new URL('../.out/hot-paths.md', import.meta.url), `${rows.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
