import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { SCALED_SERVICES, SERVICES, type ServiceName } from '../../../examples/microservices/shared/config.js';
import { ApiClient } from '../../../examples/microservices/scripts/api-client.js';
import { freePort } from '../../../examples/microservices/scripts/free-port.js';
import { ServiceLauncher } from '../../../examples/microservices/scripts/launcher.js';

const START_TIMEOUT_MS = 60_000;

export interface SystemOptions {
  /** `postgresql://…`: every service on this database; otherwise a SQLite file in a temp folder. */
  databaseUrl?: string;
  /** Extra environment for every service. */
  env?: Readonly<Record<string, string>>;
  /** 2: two instances of the order and of the notification service (as `EVENTUALI_INSTANCES=2`). */
  instances?: 1 | 2;
}

/** A process is running (signal 0 reaches it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The example system as real processes (the example's own launcher: `node --import tsx
 * <service>/main.ts` each), on free ports, over a fresh SQLite file or a PostgreSQL database.
 * Tests talk to it over HTTP only: `api` goes through the gateway, `url(service)` reaches one
 * service directly (its /metrics). Logs go to one file per service in a temp folder, kept when a
 * test of the file failed.
 */
export class TestSystem {
  readonly api: ApiClient;
  /** Every process id this system started, restarts included, to check none is left. */
  readonly #pids = new Set<number>();
  #failed = false;

  private constructor(
    readonly launcher: ServiceLauncher,
    readonly dir: string,
  ) {
    this.api = new ApiClient(launcher.url('gateway'));
    this.#record();
  }

  static async start(options: SystemOptions = {}): Promise<TestSystem> {
    const dir = mkdtempSync(join(tmpdir(), 'eventuali-e2e-'));
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
    const extraInstances = options.instances === 2 ? Object.fromEntries(await Promise.all(SCALED_SERVICES.map(async (s) => [s, [await freePort()]] as const))) : {};
    const launcher = ServiceLauncher.start({
      ports,
      env: {
        EVENTUALI_SQLITE_PATH: join(dir, 'events.db'),
        DATABASE_URL: options.databaseUrl ?? '',
        PAYMENT_FAIL_CUSTOMERS: '',
        PAYMENT_LATENCY_MS: '',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      output: { logDir: dir },
      extraInstances,
    });
    const system = new TestSystem(launcher, dir);
    try {
      await launcher.waitUntilReady(START_TIMEOUT_MS);
    } catch (error) {
      system.#failed = true;
      await system.stop();
      throw error;
    }
    return system;
  }

  /** Keeps the logs at the end: a test failed. */
  markFailed(): void {
    this.#failed = true;
  }

  url(service: ServiceName): string {
    return this.launcher.url(service);
  }

  /** Every instance's base URL of a service. */
  urls(service: ServiceName): string[] {
    return this.launcher.urls(service);
  }

  /** Stops one service: SIGTERM (graceful) or SIGKILL (a crash). */
  stopService(service: ServiceName, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    return this.launcher.stopService(service, signal);
  }

  /** Starts a service again (stopping it gracefully first if it runs), with extra environment, and waits until it is ready. */
  async restartService(service: ServiceName, env: Readonly<Record<string, string>> = {}): Promise<void> {
    await this.launcher.restartService(service, env);
    this.#record();
    await this.launcher.waitUntilReady(START_TIMEOUT_MS, [service]);
  }

  /** The last lines a service logged, for failure messages. */
  logTail(service: ServiceName, lines = 20): string {
    try {
      return readFileSync(join(this.dir, `${service}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * SIGTERM to every service, callers first, waiting for each; resolves with the exit codes once
   * no process it started is left running (SIGKILL for any that is). Deletes the temp folder
   * unless a test failed.
   */
  async stop(): Promise<{ codes: Record<string, number | null>; leftRunning: number[] }> {
    const codes = await this.launcher.stop();
    const leftRunning = [...this.#pids].filter(isRunning);
    for (const pid of leftRunning) process.kill(pid, 'SIGKILL');
    if (this.#failed) console.error(`[e2e] a test failed: service logs kept in ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
    return { codes, leftRunning };
  }

  #record(): void {
    for (const pid of Object.values(this.launcher.pids())) {
      if (pid !== undefined) this.#pids.add(pid);
    }
  }
}

/**
 * One system for the whole test file: started before its tests, stopped after them (every service
 * must exit 0 on SIGTERM and no process may be left). `prepare` gives the options (e.g. a fresh
 * PostgreSQL database) and what to clean up once the processes are gone.
 */
export function useSystem(prepare: () => Promise<SystemOptions & { cleanup?: () => Promise<void> }> = async () => ({})): () => TestSystem {
  let system: TestSystem | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { cleanup: after, ...options } = await prepare();
    cleanup = after;
    system = await TestSystem.start(options);
  });
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') system?.markFailed();
  });
  afterAll(async () => {
    try {
      if (!system) return;
      const { codes, leftRunning } = await system.stop();
      expect(leftRunning, 'processes left running after stop()').toEqual([]);
      expect(codes, 'exit codes after SIGTERM').toEqual(Object.fromEntries(Object.keys(system.launcher.pids()).map((key) => [key, 0])));
      expect(Object.keys(codes)).toEqual(expect.arrayContaining(['gateway', 'order', 'notification', 'inventory', 'user']));
    } finally {
      await cleanup?.();
    }
  });
  return () => {
    if (!system) throw new Error('the system did not start (see beforeAll)');
    return system;
  };
}
