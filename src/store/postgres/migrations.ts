import { HeldConnection } from './held-connection.js';
import { postgresCode } from './postgres-errors.js';
import { ROW_TYPES } from './postgres-statements.js';
import type { PostgresPool } from './postgres-types.js';

/**
 * A schema change, applied once, in version order. `sql` gets the quoted schema name and may hold
 * several statements. Add a migration by appending to `POSTGRES_MIGRATIONS`; never edit one that
 * shipped.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'events and snapshots',
    sql: (s) => `
      CREATE TABLE ${s}.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id text NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_version integer NOT NULL,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        "timestamp" timestamptz NOT NULL,
        metadata jsonb NOT NULL,
        data jsonb NOT NULL,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_version_key UNIQUE (aggregate_id, aggregate_version)
      );
      CREATE INDEX events_log_order_idx ON ${s}.events (transaction_id, global_position);
      CREATE TABLE ${s}.snapshots (
        aggregate_id text NOT NULL,
        snapshot_version integer NOT NULL,
        aggregate_version integer NOT NULL,
        aggregate_type text NOT NULL,
        state jsonb NOT NULL,
        PRIMARY KEY (aggregate_id, snapshot_version)
      );`,
  },
  {
    version: 2,
    name: 'leases, checkpoints and dead letters',
    sql: (s) => `
      CREATE TABLE ${s}.leases (
        name text PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE ${s}.checkpoints (
        subscription_id text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${s}.dead_letters (
        id text PRIMARY KEY,
        subscription_id text NOT NULL,
        global_position bigint NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        error text NOT NULL,
        attempts integer NOT NULL,
        failed_at timestamptz NOT NULL
      );
      CREATE INDEX dead_letters_by_subscription_idx ON ${s}.dead_letters (subscription_id, failed_at);`,
  },
  {
    version: 3,
    name: 'stream heads and replay requests',
    // One entry per stream (its first event): stream counts and lists by id or by type without
    // reading the log (src/store/inspection.ts). "C": byte order, so an id prefix is a range scan.
    // A dead letter marked for replay by another process (src/store/replay-requests.ts).
    sql: (s) => `
      CREATE INDEX events_stream_heads_idx ON ${s}.events (aggregate_id COLLATE "C") WHERE aggregate_version = 1;
      CREATE INDEX events_stream_heads_by_type_idx ON ${s}.events (aggregate_type, aggregate_id COLLATE "C") WHERE aggregate_version = 1;
      ALTER TABLE ${s}.dead_letters ADD COLUMN replay_requested_at timestamptz;`,
  },
];

/** The unique constraint on (aggregate_id, aggregate_version): a lost race for a version. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

// pg_advisory_xact_lock(class, key): the class marks eventuali's locks, the key the schema.
const LOCK_CLASS = 0x65766e74;

/**
 * Applies the migrations the schema lacks. When all are applied it only reads the migrations
 * table (no lock, no DDL rights needed). Otherwise it works in one transaction under an advisory
 * lock taken before anything else, so processes starting together apply each migration once.
 */
export async function migrate(
  pool: PostgresPool,
  schema: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  const s = `"${schema}"`;
  const pending = (applied: ReadonlySet<number>) => migrations.filter((m) => !applied.has(m.version));
  try {
    const { rows } = await pool.query<{ version: number }>({ text: `SELECT version FROM ${s}.migrations`, types: ROW_TYPES });
    if (pending(new Set(rows.map((r) => r.version))).length === 0) return;
  } catch (error) {
    const code = postgresCode(error);
    if (code !== '42P01' && code !== '3F000') throw error; // undefined table / schema: a new store
  }
  const held = await HeldConnection.take(pool);
  const db = held.client;
  let broken = false;
  try {
    await db.query({ text: 'BEGIN' });
    await db.query({ text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [LOCK_CLASS, lockKey(schema)] });
    // Not CREATE SCHEMA IF NOT EXISTS alone: it needs the CREATE right on the database even when
    // the schema exists, which a schema made by an administrator should not require.
    const { rows: found } = await db.query({ text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1', values: [schema] });
    if (found.length === 0) await db.query({ text: `CREATE SCHEMA IF NOT EXISTS ${s}` });
    await db.query({
      text: `CREATE TABLE IF NOT EXISTS ${s}.migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    });
    const { rows } = await db.query<{ version: number }>({ text: `SELECT version FROM ${s}.migrations`, types: ROW_TYPES });
    for (const migration of pending(new Set(rows.map((r) => r.version)))) {
      await db.query({ text: migration.sql(s) });
      await db.query({
        text: `INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`,
        values: [migration.version, migration.name],
      });
    }
    await db.query({ text: 'COMMIT' });
  } catch (error) {
    await db.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
    throw error;
  } finally {
    held.release(broken);
  }
}

/** A stable signed 32-bit hash (FNV-1a) of the schema name. */
function lockKey(schema: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < schema.length; i++) hash = Math.imul(hash ^ schema.charCodeAt(i), 0x01000193);
  return hash | 0;
}
