// docs/event-store.md, "Opening a store".
// #region imports
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { EventStore } from '../../src/index.js';
import { createPostgresAdapter } from '../../src/postgres.js';
import { configureSqlite, createSqliteAdapter } from '../../src/sqlite.js';
// #endregion

// #region from-env
export async function openFromEnvironment(): Promise<EventStore> {
  // e.g. DATABASE_URL=postgresql://app:secret@db.internal:5432/app in production,
  // and a local SQLite file when it is unset.
  return EventStore.create(process.env['DATABASE_URL'] ?? 'sqlite://./data/events.db');
}
// #endregion

// #region sqlite-options
export async function openSqlite(path: string): Promise<EventStore> {
  return EventStore.create(`sqlite://${path}`, {
    synchronous: 'normal', // faster commits; the last ones can be lost on power loss (default 'full')
    busyTimeoutMs: 10_000, // wait up to 10 s for another process's write lock (default 5000)
  });
}
// #endregion

// #region postgres-options
export async function openPostgres(url: string): Promise<EventStore> {
  return EventStore.create(url, {
    schema: 'billing_events', // where the store's tables live (default 'eventuali')
    poolSize: 20, // connections in the store's pool (default 10)
  });
}
// #endregion

// #region group-commit
export async function openWithGroupCommit(path: string): Promise<EventStore> {
  return EventStore.create(`sqlite://${path}`, {
    // Concurrent appends share one commit (the defaults; `false` commits each append alone).
    groupCommit: { maxBatch: 128, maxDelayMs: 0 },
  });
}
// #endregion

// #region existing-sqlite
// import Database from 'better-sqlite3';
export function storeOverDatabase(db: Database.Database): EventStore {
  configureSqlite(db); // WAL, synchronous=FULL, busy timeout: what EventStore.create applies
  return new EventStore(createSqliteAdapter(db), { snapshotEvery: 100 }); // store.close() leaves db open
}
// #endregion

// #region existing-pool
// import pg from 'pg';
export async function storeOverPool(pool: pg.Pool): Promise<EventStore> {
  // Creates the schema's tables if they are missing. store.close() leaves the pool open, and
  // the pool's 'error' events stay yours to handle.
  const adapter = await createPostgresAdapter(pool, { schema: 'billing_events' });
  return new EventStore(adapter, { snapshotEvery: 100 });
}
// #endregion

// openFromEnvironment, openPostgres and storeOverPool are type-checked but not run by the docs
// tests, which use no PostgreSQL server: the PostgreSQL adapter's own tests cover that path.
export async function main(dir: string) {
  const fromUrl = await openSqlite(join(dir, 'tuned.db'));
  const db = new Database(join(dir, 'shared.db'));
  const overDb = storeOverDatabase(db);
  try {
    return {
      fromUrl: fromUrl.capabilities,
      overDb: overDb.capabilities,
      journalMode: db.pragma('journal_mode', { simple: true }),
    };
  } finally {
    await fromUrl.close();
    await overDb.close();
    db.close();
  }
}
