/**
 * The physical floor on SQLite: better-sqlite3 with the same connection settings as the adapter
 * (WAL on files, the same `synchronous`, a busy timeout) on the adapter's own table, created by
 * the adapter's own migration SQL (same columns, constraints and indexes).
 *
 * A write is what a hand-written event store does, in one `BEGIN IMMEDIATE` transaction:
 *   SELECT aggregate_version … WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1
 *   (throw and roll back unless it is the expected version)
 *   INSERT INTO eventuali_events (…) VALUES (…), (…), …   -- one multi-row statement per batch
 * A read is `SELECT <the adapter's columns> … WHERE aggregate_id = ? ORDER BY aggregate_version`
 * and `JSON.parse` of each row's data. Statements are prepared once.
 */
import Database from 'better-sqlite3';
import { EVENT_COLUMNS } from '../../src/store/sql/event-row.js';
import { migrate } from '../../src/store/sqlite/migrations.js';
import type { BenchDatabase } from '../lib/targets.js';
import type { Contender, ContenderFactory } from './contender.js';
import { chunks, COLUMNS_PER_ROW, INSERT_COLUMNS, rowParams } from './raw-rows.js';

const BUSY_TIMEOUT_MS = 5000;
const identity = (ms: number): number => ms;

/** Opens a connection configured like the adapter's, with the adapter's schema applied. */
export function openRawSqliteDatabase(filename: string, synchronous: 'full' | 'normal' | 'off'): Database.Database {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db);
  return db;
}

/** An INSERT of `rows` rows, prepared once per row count. */
export function insertStatements(db: Database.Database): (rows: number) => Database.Statement {
  const cache = new Map<number, Database.Statement>();
  const tuple = `(${new Array(COLUMNS_PER_ROW).fill('?').join(', ')})`;
  return (rows) => {
    let statement = cache.get(rows);
    if (!statement) {
      statement = db.prepare(`INSERT INTO eventuali_events (${INSERT_COLUMNS}) VALUES ${new Array(rows).fill(tuple).join(', ')}`);
      cache.set(rows, statement);
    }
    return statement;
  };
}

export const rawSqlite: ContenderFactory = async (bench: BenchDatabase) => {
  const location = bench.location;
  if (location.kind !== 'sqlite') throw new Error('raw-sqlite runs on SQLite locations only');
  const db = openRawSqliteDatabase(location.filename, location.synchronous);
  const currentVersion = db
    .prepare<[string], number>(
      'SELECT aggregate_version FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1',
    )
    .pluck();
  const readStream = db.prepare<[string], { data: string }>(
    `SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version`,
  );
  const insert = insertStatements(db);
  const append = db.transaction((streamId: string, expected: number, rows: number, params: unknown[]) => {
    const current = currentVersion.get(streamId) ?? 0;
    if (current !== expected) throw new Error(`conflict on ${streamId}: expected version ${expected}, found ${current}`);
    insert(rows).run(params);
  });
  const write = (streamId: string, from: number, to: number): void => {
    append.immediate(streamId, from - 1, to - from + 1, rowParams(streamId, from, to, identity));
  };

  return {
    name: 'raw',
    async createStream(streamId, eventCount) {
      write(streamId, 1, eventCount);
    },
    async seedStream(streamId, eventCount, chunkSize) {
      for (const [from, to] of chunks(eventCount, chunkSize)) write(streamId, from, to);
    },
    async readStream(streamId) {
      const rows = readStream.all(streamId);
      let parsed = 0;
      for (const row of rows) if (JSON.parse(row.data) !== null) parsed++;
      return parsed;
    },
    async close() {
      db.close();
    },
  };
};
