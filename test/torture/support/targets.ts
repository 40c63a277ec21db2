import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EventStore, MemoryAdapter, type EventStoreOptions, type StorageAdapter } from '../../../src/index.js';
import { openPostgresAdapter } from '../../../src/postgres.js';
import { openSqliteAdapter } from '../../../src/sqlite.js';
import { TORTURE_EVENTS } from './events.js';

export type TargetKind = 'memory' | 'sqlite-memory' | 'sqlite-file' | 'postgres';

/** One store under test, with its adapter (for snapshots and SQL read models). */
export interface Target {
  kind: TargetKind;
  store: EventStore;
  adapter: StorageAdapter;
  /** Rewrites `?` placeholders for the target's SQL dialect. */
  sql(text: string): string;
  close(): Promise<void>;
}

export function sqlFor(kind: TargetKind): (text: string) => string {
  if (kind !== 'postgres') return (text) => text;
  return (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
}

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `eventuali-torture-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface OpenTargetOptions extends EventStoreOptions {
  /** PostgreSQL database URL (a schema of its own is made per target). */
  postgresUrl?: string;
  /** PostgreSQL schema (default: a fresh random one). */
  schema?: string;
  /** SQLite file (sqlite-file). */
  file?: string;
}

let schemas = 0;

/** Opens one store of the given kind, registered with every torture event. */
export async function openTarget(kind: TargetKind, options: OpenTargetOptions = {}): Promise<Target> {
  const { postgresUrl, schema, file, ...storeOptions } = options;
  let adapter: StorageAdapter;
  let drop: () => Promise<void> = async () => undefined;
  switch (kind) {
    case 'memory':
      adapter = new MemoryAdapter();
      break;
    case 'sqlite-memory':
      adapter = await openSqliteAdapter(':memory:');
      break;
    case 'sqlite-file': {
      if (file === undefined) throw new Error('sqlite-file needs a file');
      adapter = await openSqliteAdapter(file);
      break;
    }
    case 'postgres': {
      if (postgresUrl === undefined) throw new Error('postgres needs a URL');
      const name = schema ?? `torture_${process.pid}_${Date.now().toString(36)}_${++schemas}`;
      adapter = await openPostgresAdapter(postgresUrl, { schema: name, poolSize: 3, onWarning: () => undefined });
      if (schema === undefined) drop = () => dropSchema(postgresUrl, name);
      break;
    }
  }
  const store = new EventStore(adapter, { onWarning: () => undefined, ...storeOptions }).register(...TORTURE_EVENTS);
  return {
    kind,
    store,
    adapter,
    sql: sqlFor(kind),
    close: async () => {
      await store.close();
      await drop();
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** An admin pool on a database, for faults and checks; its idle errors are ignored. */
export function adminPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  return pool;
}
