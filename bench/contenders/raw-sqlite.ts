/**
 * The physical floor on SQLite: better-sqlite3 with the same connection settings as the adapter
 * (WAL on files, the same `synchronous`, a busy timeout) on the adapter's own table, created by
 * the adapter's own migrations (`createSqliteAdapter` over this connection: same columns,
 * constraints and indexes).
 *
 * A write is what a hand-written event store does, in one `BEGIN IMMEDIATE` transaction:
 *   SELECT aggregate_version … WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1
 *   (throw and roll back unless it is the expected version)
 *   INSERT INTO eventuali_events (…) VALUES (…), (…), …   -- one multi-row statement per batch
 * A read is `SELECT <the adapter's columns> … WHERE aggregate_id = ? ORDER BY aggregate_version`
 * and `JSON.parse` of each row's data. Statements are prepared once.
 */
import Database from 'better-sqlite3';
import { createSqliteAdapter } from '../../src/sqlite.js';
import type { RawDriver, RawRow } from './raw.js';
import { COLUMNS_PER_ROW, conflict, EVENT_COLUMNS, INSERT_COLUMNS, rowParams } from './raw-rows.js';

const BUSY_TIMEOUT_MS = 5000;
const identity = (ms: number): number => ms;

/** Opens a connection configured like the adapter's, with the adapter's schema applied. */
export function openRawSqliteDatabase(filename: string, synchronous: 'full' | 'normal' | 'off'): Database.Database {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  createSqliteAdapter(db); // runs the adapter's migrations on this connection, which it leaves open
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

/** Inserts versions `from` … `to` of `streamId` as raw rows (a seeding helper, no version check). */
export function insertRows(insert: Database.Statement, streamId: string, from: number, to: number): void {
  insert.run(rowParams(streamId, from, to, identity));
}

export function rawSqliteDriver(filename: string, synchronous: 'full' | 'normal'): RawDriver {
  const db = openRawSqliteDatabase(filename, synchronous);
  db.exec('CREATE TABLE IF NOT EXISTS raw_checkpoints (consumer_id TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  const head = db
    .prepare<[string], number>('SELECT aggregate_version FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1')
    .pluck();
  const stream = db.prepare<[string], RawRow>(`SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version`);
  const page = db.prepare<[number, number], RawRow>(
    `SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
  );
  const save = db.prepare<[string, number]>(
    'INSERT INTO raw_checkpoints (consumer_id, position) VALUES (?, ?) ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position',
  );
  const insert = insertStatements(db);
  const append = db.transaction((streamId: string, expected: number, rows: number, params: unknown[]) => {
    const current = head.get(streamId) ?? 0;
    if (current !== expected) throw conflict(streamId, expected, current);
    insert(rows).run(params);
  });
  return {
    write: async (streamId, expected, from, to) => {
      append.immediate(streamId, expected, to - from + 1, rowParams(streamId, from, to, identity));
    },
    stream: async (streamId) => stream.all(streamId),
    page: async (after, limit) => page.all(Number(after), limit),
    checkpoint: async (consumerId, position) => void save.run(consumerId, Number(position)),
    close: async () => void db.close(),
  };
}
