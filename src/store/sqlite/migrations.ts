import type { SqliteDatabase } from './sqlite-types.js';

/** A schema change, applied once, in version order. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'events and snapshots',
    sql: `
      CREATE TABLE eventuali_events (
        global_position INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        aggregate_id TEXT NOT NULL,
        aggregate_type TEXT NOT NULL,
        aggregate_version INTEGER NOT NULL,
        event_type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        timestamp INTEGER NOT NULL,
        metadata TEXT NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (aggregate_id, aggregate_version)
      );
      CREATE TABLE eventuali_snapshots (
        aggregate_id TEXT NOT NULL,
        snapshot_version INTEGER NOT NULL,
        aggregate_version INTEGER NOT NULL,
        aggregate_type TEXT NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (aggregate_id, snapshot_version)
      );`,
  },
  {
    version: 2,
    name: 'leases, checkpoints and dead letters',
    sql: `
      CREATE TABLE eventuali_leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE eventuali_checkpoints (
        subscription_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE eventuali_dead_letters (
        id TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL,
        global_position INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        failed_at INTEGER NOT NULL
      );
      CREATE INDEX eventuali_dead_letters_by_subscription ON eventuali_dead_letters (subscription_id, failed_at);`,
  },
  {
    version: 3,
    name: 'stream heads and replay requests',
    // One entry per stream (its first event): stream counts and lists by type without reading the
    // log (src/store/inspection.ts); lists by id prefix walk the (aggregate_id, aggregate_version)
    // index. Only one such index: each costs every new stream's first append a B-tree insert (two
    // made a new-stream append 60% slower at synchronous=NORMAL). A dead letter marked for replay
    // by another process (src/store/replay-requests.ts).
    sql: `
      CREATE INDEX eventuali_events_stream_heads_by_type ON eventuali_events (aggregate_type, aggregate_id) WHERE aggregate_version = 1;
      ALTER TABLE eventuali_dead_letters ADD COLUMN replay_requested_at INTEGER;`,
  },
  {
    version: 4,
    name: 'stream heads by type in log order',
    // Migration 3's index put each new stream at a random place in (aggregate_type, aggregate_id):
    // a B-tree page of its own to change and write to the WAL for nearly every new stream, which
    // cost a new-stream append about 30% at synchronous=NORMAL and 40% of a group commit's
    // throughput. Keyed by type alone (the rowid, the log position, follows), each new stream
    // lands at the end of its type's range, on a page the previous one already changed. Counts by
    // type still read only this index; lists by type walk the (aggregate_id, aggregate_version)
    // index in id order and check the type (src/store/sqlite/sqlite-inspection.ts).
    sql: `
      DROP INDEX IF EXISTS eventuali_events_stream_heads_by_type;
      CREATE INDEX eventuali_events_stream_heads ON eventuali_events (aggregate_type) WHERE aggregate_version = 1;`,
  },
];

/**
 * Applies the migrations not applied yet. BEGIN IMMEDIATE takes the write lock first, so two
 * processes opening one new file apply each migration once.
 */
export function migrate(db: SqliteDatabase, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): void {
  db.exec(`CREATE TABLE IF NOT EXISTS eventuali_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const run = db.transaction(() => {
    const applied = new Set(
      db.prepare<{ version: number }>('SELECT version FROM eventuali_migrations').all().map((r) => r.version),
    );
    const record = db.prepare('INSERT INTO eventuali_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }
  });
  run.immediate();
}
