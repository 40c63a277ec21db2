import type { Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { createPostgresAdapter, type PostgresPool, type PostgresPoolClient, type PostgresQueryConfig } from '../../src/postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { sleep, until } from './support/wait.js';

// Regression tests for the wake-up channel (LISTEN/NOTIFY) bugs found while testing a PostgreSQL
// restart. Each drives a real server through a pool the test wraps, so the moment a connection
// drops or a NOTIFY completes is chosen by the test, not by timing.

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('torture_restart_regressions');
});
afterAll(async () => {
  await db?.drop();
});

let pools = 0;
/** A pg pool on the test database under an application_name of its own; idle errors ignored. */
function openPool(): { pool: pg.Pool; app: string } {
  const app = `restart_regression_${process.pid}_${++pools}`;
  const pool = new pg.Pool({ connectionString: `${db!.url}?application_name=${app}`, max: 4 });
  pool.on('error', () => undefined);
  return { pool, app };
}

interface Overrides {
  query?: (config: PostgresQueryConfig) => Promise<unknown>;
  connect?: () => Promise<PostgresPoolClient>;
}

/** `pool`, with `query` and `connect` replaceable per test. */
function wrap(pool: pg.Pool, overrides: Overrides): PostgresPool {
  return {
    query: ((config: PostgresQueryConfig) => (overrides.query ?? ((c) => pool.query(c)))(config)) as PostgresPool['query'],
    connect: () => overrides.connect?.() ?? (pool.connect() as Promise<PostgresPoolClient>),
    end: () => pool.end(),
    on: (event, listener) => pool.on(event, listener),
  };
}

async function listeningBackends(pool: pg.Pool, app: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN %'`,
    [app],
  );
  return rows[0]?.n ?? 0;
}

describe('regressions: the PostgreSQL wake-up channel across lost connections', () => {
  it('listens again, without an unhandled rejection, when the connection drops while its LISTEN is in flight (it released the connection twice)', async () => {
    const { pool, app } = openPool();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let dropped = 0;
    const wrapped = wrap(pool, {
      connect: async () => {
        const client = await pool.connect();
        if (dropped > 0) return client;
        // The first LISTEN connection: its socket closes as the LISTEN is sent, as when the
        // server goes away at that moment (the driver then both emits 'error' and fails the query).
        const query = client.query.bind(client) as (config: PostgresQueryConfig) => Promise<unknown>;
        const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
        const dropping: PostgresPoolClient = Object.assign(client, {
          query: ((config: PostgresQueryConfig) => {
            const result = query(config);
            if (config.text.startsWith('LISTEN') && dropped++ === 0) socket.destroy();
            return result;
          }) as PostgresPoolClient['query'],
        });
        return dropping;
      },
    });
    const warnings: unknown[] = [];
    const store = new EventStore(await createPostgresAdapter(wrapped, { schema: `regression_listen_${pools}`, onWarning: (_m, e) => warnings.push(e) })).register(...TORTURE_EVENTS);
    try {
      const sub = store.subscribe({ id: 'listen-drop', pollIntervalMs: 50, handle: () => undefined });
      await sub.start();
      await until(() => dropped > 0, 'the first LISTEN was sent');
      await until(async () => (await listeningBackends(pool, app)) > 0, 'the store LISTENs on a new connection', 20_000, 50);
      // A rejection is reported after the microtasks of the turn that made it.
      await sleep(50);
      expect(unhandled.map(String)).toEqual([]);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await store.close();
      await pool.end();
    }
  });

  it('announces the last commits before close(): a NOTIFY coalesced behind the one in flight is still sent (it was dropped)', async () => {
    const { pool } = openPool();
    let notifies = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const wrapped = wrap(pool, {
      query: async (config) => {
        // The first NOTIFY takes until the test lets it finish: the next commits land meanwhile.
        if (config.text.includes('pg_notify') && ++notifies === 1) await gate;
        return pool.query(config);
      },
    });
    const store = new EventStore(await createPostgresAdapter(wrapped, { schema: `regression_notify_${pools}` })).register(...TORTURE_EVENTS);
    let closed = false;
    try {
      await store.append('Notified', 'n-1', 'no-stream', [Noted.create({ n: 1, text: 'first' })]);
      expect(notifies).toBe(1);
      await store.append('Notified', 'n-2', 'no-stream', [Noted.create({ n: 2, text: 'after the NOTIFY in flight' })]);
      const closing = store.close();
      openGate();
      await closing;
      closed = true;
      // Let anything still scheduled run: nothing more may be sent after close(), and nothing owed may be missing.
      await sleep(50);
      expect(notifies).toBe(2);
    } finally {
      openGate();
      if (!closed) await store.close();
      await pool.end();
    }
  });
});
