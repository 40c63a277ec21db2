/** The raw-driver contender: better-sqlite3 on SQLite locations, node-postgres on PostgreSQL ones. */
import type { ContenderFactory } from './contender.js';
import { rawPostgres } from './raw-postgres.js';
import { rawSqlite } from './raw-sqlite.js';

/** What the raw contender does, for the tables' descriptions. */
export const RAW_SETUP =
  "raw runs on the adapter's own table, created by the adapter's migration SQL (same columns, constraints and indexes), " +
  'with the same connection settings (SQLite: WAL, the same synchronous; PostgreSQL: a pool of 10 like eventuali\'s default) ' +
  'and prepared statements, writing the same rows (UUID event ids, the JSON text eventuali writes).';

export const RAW_WRITE =
  'raw write, as a hand-written event store does it, in one transaction: SELECT the stream\'s last version, throw unless it is ' +
  'the expected one, one INSERT (multi-row for a batch), COMMIT. SQLite: BEGIN IMMEDIATE through better-sqlite3\'s transaction helper. ' +
  'PostgreSQL: BEGIN, SELECT, INSERT, COMMIT on a pooled connection, four round trips (eventuali\'s append is one statement, one round trip).';

export const RAW_READ =
  "raw read: `SELECT <the adapter's columns> … WHERE aggregate_id = ? ORDER BY aggregate_version` and `JSON.parse` of each row's data, " +
  'nothing more (on PostgreSQL every column is fetched as text, with no driver-side parsing).';

export const raw: ContenderFactory = (db) => (db.location.kind === 'sqlite' ? rawSqlite(db) : rawPostgres(db));
