/**
 * The stores a workload runs on. Each gives a fresh, empty database per call of `fresh()`: a
 * SQLite file in its own temp folder (deleted on dispose), an in-memory SQLite name, or a new
 * database on the bench's PostgreSQL server (dropped on dispose).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PostgresServer } from './postgres-server.js';

export type TargetKind = 'sqlite-full' | 'sqlite-normal' | 'sqlite-memory' | 'postgres';

export type Location =
  | { kind: 'sqlite'; filename: string; synchronous: 'full' | 'normal' }
  | { kind: 'postgres'; connectionString: string };

/** An empty database for one workload; contenders open their own connections to it. */
export interface BenchDatabase {
  readonly location: Location;
  dispose(): Promise<void>;
}

export interface Target {
  readonly kind: TargetKind;
  /** How the tables print it, e.g. `SQLite file, synchronous=FULL`. */
  readonly label: string;
  /** Concurrent callers the workloads use on it. */
  readonly concurrency: number;
  /** Why it cannot run, when it cannot (e.g. PostgreSQL did not start). */
  readonly unavailable?: string;
  /** A new empty database; rejects with `unavailable` when the store cannot run. */
  fresh(tag: string): Promise<BenchDatabase>;
}

export function sqliteFileTarget(synchronous: 'full' | 'normal'): Target {
  return {
    kind: synchronous === 'full' ? 'sqlite-full' : 'sqlite-normal',
    label: `SQLite file, synchronous=${synchronous.toUpperCase()}`,
    concurrency: 1,
    fresh: async (tag) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `eventuali-bench-${tag}-`));
      return {
        location: { kind: 'sqlite', filename: path.join(dir, 'events.db'), synchronous },
        dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

/** In-memory SQLite: each connection opened on it is its own database, so it cannot be shared. */
export function sqliteMemoryTarget(): Target {
  return {
    kind: 'sqlite-memory',
    label: 'SQLite in memory (sqlite::memory:)',
    concurrency: 1,
    fresh: async () => ({
      location: { kind: 'sqlite', filename: ':memory:', synchronous: 'full' },
      dispose: async () => {},
    }),
  };
}

export const POSTGRES_CALLERS = 8;

export function postgresTarget(server: PostgresServer | Error): Target {
  const label = `PostgreSQL, ${POSTGRES_CALLERS} concurrent callers`;
  if (server instanceof Error) {
    const unavailable = `PostgreSQL did not start: ${server.message.split('\n')[0] ?? ''}`;
    return { kind: 'postgres', label, concurrency: POSTGRES_CALLERS, unavailable, fresh: () => Promise.reject(new Error(unavailable)) };
  }
  return {
    kind: 'postgres',
    label,
    concurrency: POSTGRES_CALLERS,
    fresh: async (tag) => {
      const db = await server.createDatabase(tag);
      return { location: { kind: 'postgres', connectionString: db.connectionString }, dispose: db.drop };
    },
  };
}

/** The store's label without its callers (`PostgreSQL`, `SQLite file, synchronous=FULL`), for rows that set their own. */
export function plainLabel(target: Target): string {
  return target.label.replace(/, \d+ concurrent callers$/, '');
}

/** The durable stores (SQLite FULL and PostgreSQL) of a run: what the streaming, saga, example-system and peer workloads run on. */
export function durableTargets(stores: readonly Target[]): Target[] {
  return stores.filter((t) => t.kind === 'sqlite-full' || t.kind === 'postgres');
}
