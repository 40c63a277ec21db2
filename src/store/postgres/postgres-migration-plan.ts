import type { PendingMigration } from '../pending-migration.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { loadPostgresDriver, passwordOf } from './open-postgres-adapter.js';
import { classifyPostgresError, connectionFailure, postgresCode } from './postgres-errors.js';
import { ROW_TYPES } from './postgres-statements.js';

/**
 * The migrations the schema lacks, without applying them (one connection, one read of the
 * migrations table; a missing schema or table lacks them all). The SQL shown is what opening the
 * store would run, for the schema's quoted name.
 */
export async function pendingPostgresMigrations(connectionString: string, schema: string): Promise<PendingMigration[]> {
  const s = `"${schema}"`;
  const all = POSTGRES_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sql: m.sql(s).trim() }));
  const secret = passwordOf(connectionString);
  const { Client } = await loadPostgresDriver();
  const client = new Client({ connectionString });
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (error) {
      throw connectionFailure(error, secret);
    }
    try {
      const { rows } = await client.query<{ version: number }>({ text: `SELECT version FROM ${s}.migrations`, types: ROW_TYPES });
      const applied = new Set(rows.map((r) => r.version));
      return all.filter((m) => !applied.has(m.version));
    } catch (error) {
      const code = postgresCode(error);
      if (code === '42P01' || code === '3F000') return all; // no migrations table or schema yet
      throw classifyPostgresError(error, secret);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
