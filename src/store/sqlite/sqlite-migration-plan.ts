import { existsSync } from 'node:fs';
import { ConnectionError } from '../../core/errors.js';
import type { PendingMigration } from '../pending-migration.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { loadSqliteDriver } from './open-sqlite-adapter.js';
import { classifySqliteError } from './sqlite-errors.js';
import type { SqliteDatabase } from './sqlite-types.js';

/**
 * The migrations the SQLite file lacks, without applying them: the file is opened read-only, and
 * a file that does not exist yet (which opening the store would create) lacks them all.
 */
export async function pendingSqliteMigrations(filename: string): Promise<PendingMigration[]> {
  const all = SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sql: m.sql.trim() }));
  if (filename === ':memory:' || !existsSync(filename)) return all;
  const Database = await loadSqliteDriver();
  let db: SqliteDatabase;
  try {
    db = new (Database as new (filename: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase)(filename, {
      readonly: true,
      fileMustExist: true,
    });
  } catch (error) {
    throw new ConnectionError(`The SQLite database ${filename} could not be opened`, { cause: error });
  }
  try {
    const table = db.prepare<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'eventuali_migrations'").get();
    if (!table) return all;
    const applied = new Set(db.prepare<{ version: number }>('SELECT version FROM eventuali_migrations').all().map((r) => r.version));
    return all.filter((m) => !applied.has(m.version));
  } catch (error) {
    throw classifySqliteError(error);
  } finally {
    db.close();
  }
}
