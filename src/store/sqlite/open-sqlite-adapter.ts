import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConnectionError, MissingDriverError } from '../../core/errors.js';
import type { SqliteStoreOptions } from './sqlite-options.js';
import { SqliteAdapter } from './sqlite-adapter.js';
import { classifySqliteError } from './sqlite-errors.js';
import type { SqliteDatabase, SqliteDatabaseConstructor } from './sqlite-types.js';

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** better-sqlite3's Database class, or MissingDriverError when the package is not installed. */
export async function loadSqliteDriver(): Promise<SqliteDatabaseConstructor> {
  try {
    const module = (await import('better-sqlite3')) as { default?: unknown };
    return (module.default ?? module) as SqliteDatabaseConstructor;
  } catch (error) {
    throw new MissingDriverError('better-sqlite3', { cause: error });
  }
}

/** Applies the store's connection settings: WAL, synchronous, busy timeout. */
export function configureSqlite(db: SqliteDatabase, options: SqliteStoreOptions = {}): void {
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
}

/** Opens (creating the parent folder) a SQLite file, or `:memory:`, as an adapter. */
export async function openSqliteAdapter(filename: string, options: SqliteStoreOptions = {}): Promise<SqliteAdapter> {
  const Database = await loadSqliteDriver();
  let db: SqliteDatabase;
  try {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    db = new Database(filename, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new ConnectionError(`The SQLite database ${filename} could not be opened`, { cause: error });
  }
  try {
    configureSqlite(db, options);
    return new SqliteAdapter(db, { closeDatabase: true, busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (error) {
    db.close();
    // Switching a file to WAL needs a lock another connection may hold past the busy timeout.
    throw classifySqliteError(error);
  }
}
