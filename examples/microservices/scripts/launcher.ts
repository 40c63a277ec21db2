import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PORT_ENV, SERVICES, URL_ENV, type ServiceName } from '../shared/config.js';
import { formatLogLine } from './log-format.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY_DIRS: Record<ServiceName, string> = {
  user: 'users',
  order: 'orders',
  inventory: 'inventory',
  notification: 'notifications',
  gateway: 'gateway',
};
/** Callers stop before the services they call. */
const STOP_ORDER: readonly ServiceName[] = ['gateway', 'order', 'notification', 'inventory', 'user'];
const STOP_TIMEOUT_MS = 20_000;

export interface LaunchOptions {
  ports: Readonly<Record<ServiceName, number>>;
  /** Extra environment for every service (store location, payment settings…). */
  env: Readonly<Record<string, string | undefined>>;
  /** 'prefixed': readable lines on this process's stdout; otherwise one log file per service in this folder. */
  output: 'prefixed' | { logDir: string };
  /**
   * Ports of more instances of a service (EVENTUALI_INSTANCES=2): each runs as `<service>-2`,
   * `<service>-3`… on its port, and the gateway gets every instance's URL.
   */
  extraInstances?: Readonly<Partial<Record<ServiceName, readonly number[]>>>;
}

interface Child {
  name: ServiceName;
  /** `order`, or `order-2` for a second instance: the key of its exit code and the name of its log file. */
  key: string;
  url: string;
  process: ChildProcess;
  exit: Promise<number | null>;
  logFile: string | undefined;
  /** Stopped on purpose (stop(), stopService()): not reported as an unexpected exit. */
  stopped: boolean;
}

/**
 * Runs each service as a child process (`node --import tsx …/main.ts`), one process per service.
 * Children get their own process group, so a Ctrl-C reaches only this process, which then stops
 * them in order (callers first); each child also stops when its stdin (a pipe from here) closes.
 */
export class ServiceLauncher {
  readonly #children = new Map<string, Child>();
  readonly #options: LaunchOptions;
  /** The environment every service gets (restartService adds to it). */
  readonly #env: Readonly<Record<string, string | undefined>>;
  #stopping = false;

  private constructor(options: LaunchOptions, env: Readonly<Record<string, string | undefined>>) {
    this.#options = options;
    this.#env = env;
  }

  static start(options: LaunchOptions): ServiceLauncher {
    // EXIT_WITH_PARENT: a service stops when this process goes away, even if it is killed hard.
    const env: Record<string, string | undefined> = { ...process.env, ...options.env, HOST: '127.0.0.1', EXIT_WITH_PARENT: '1' };
    const instances = (name: ServiceName): number[] => [options.ports[name], ...(options.extraInstances?.[name] ?? [])];
    for (const name of SERVICES) {
      env[PORT_ENV[name]] = String(options.ports[name]);
      env[URL_ENV[name]] = instances(name).map((port) => `http://127.0.0.1:${port}`).join(',');
    }
    const launcher = new ServiceLauncher(options, env);
    for (const name of SERVICES) {
      instances(name).forEach((port, i) => launcher.#spawn(name, i === 0 ? env : { ...env, [PORT_ENV[name]]: String(port) }, instanceKey(name, i)));
    }
    return launcher;
  }

  /** Every instance's base URL of a service, the first one first. */
  urls(name: ServiceName): string[] {
    return [...this.#children.values()].filter((child) => child.name === name).map((child) => child.url);
  }

  /** The process ids of every running-or-started instance, by key (`order`, `order-2`…). */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.#children.values()].map((child) => [child.key, child.process.pid]));
  }

  url(name: ServiceName): string {
    const child = this.#children.get(name);
    if (!child) throw new Error(`${name} was not launched`);
    return child.url;
  }

  /** The process id of a service's current process (undefined before it started). */
  pid(name: ServiceName): number | undefined {
    return this.#children.get(name)?.process.pid;
  }

  /**
   * Resolves once every service (or the ones named) answers 200 on /health/ready; rejects if one
   * exits or the time runs out.
   */
  async waitUntilReady(timeoutMs = 30_000, names: readonly ServiceName[] = SERVICES): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await Promise.all(
      [...this.#children.values()].filter((child) => names.includes(child.name)).map(async (child) => {
        let exited: number | null | undefined;
        void child.exit.then((code) => (exited = code));
        for (;;) {
          if (exited !== undefined) throw new Error(`${child.key} exited with ${String(exited)} before it was ready${this.#tail(child)}`);
          if (await isReady(child.url)) return;
          if (Date.now() > deadline) throw new Error(`${child.key} was not ready within ${timeoutMs} ms${this.#tail(child)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }),
    );
  }

  /** Calls `listener` when a service exits before `stop()` was asked for. */
  onUnexpectedExit(listener: (name: string, code: number | null) => void): void {
    for (const child of this.#children.values()) {
      void child.exit.then((code) => {
        if (!this.#stopping && !child.stopped) listener(child.key, code);
      });
    }
  }

  /**
   * SIGTERM to each service in turn (callers first; a service's instances together), waiting for
   * it to shut down; SIGKILL after 20 s. Resolves with the exit codes, by key (`order`, `order-2`…).
   */
  async stop(): Promise<Record<string, number | null>> {
    this.#stopping = true;
    const codes: Record<string, number | null> = {};
    for (const name of STOP_ORDER) {
      const children = [...this.#children.values()].filter((child) => child.name === name);
      const exits = await Promise.all(children.map((child) => this.#stopChild(child, 'SIGTERM')));
      children.forEach((child, i) => (codes[child.key] = exits[i] ?? null));
    }
    return codes;
  }

  /**
   * Stops one service and resolves with its exit code: SIGTERM shuts it down gracefully (SIGKILL
   * after 20 s), SIGKILL kills it at once, like a crash. Nothing to do when it is not running.
   */
  async stopService(name: ServiceName, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    const child = this.#children.get(name);
    return child ? this.#stopChild(child, signal) : null;
  }

  async #stopChild(child: Child, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
    child.stopped = true;
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
    const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await child.exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts a service that was stopped (stopService) again, on its port, with the environment it
   * had plus `env`; `waitUntilReady(timeout, [name])` waits for it. Logs append to its log file.
   */
  async restartService(name: ServiceName, env: Readonly<Record<string, string | undefined>> = {}): Promise<void> {
    const child = this.#children.get(name);
    if (child) await this.stopService(name);
    this.#spawn(name, { ...this.#env, ...env }, name);
  }

  /** The last lines a service logged (its log file), for error messages. */
  #tail(child: Child): string {
    if (!child.logFile) return '';
    try {
      const lines = readFileSync(child.logFile, 'utf8').trimEnd().split('\n').slice(-15);
      return `\n--- last lines of ${child.logFile} ---\n${lines.map(formatLogLine).join('\n')}`;
    } catch {
      return '';
    }
  }

  #spawn(name: ServiceName, env: Record<string, string | undefined>, key: string): void {
    const options = this.#options;
    const entry = join(ROOT, 'examples', 'microservices', ENTRY_DIRS[name], 'main.ts');
    let logFile: string | undefined;
    let child: ChildProcess;
    if (options.output === 'prefixed') {
      child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const label = `[${key}]`.padEnd(15);
      for (const stream of [child.stdout, child.stderr]) {
        if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`${label}${formatLogLine(line)}`));
      }
    } else {
      logFile = join(options.output.logDir, `${key}.log`);
      const fd = openSync(logFile, 'a');
      child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['pipe', fd, fd], detached: true });
      closeSync(fd);
    }
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    this.#children.set(key, { name, key, url: `http://127.0.0.1:${String(env[PORT_ENV[name]])}`, process: child, exit, logFile, stopped: false });
  }
}

/** `order` for the first instance of the order service, `order-2` for the second. */
function instanceKey(name: ServiceName, index: number): string {
  return index === 0 ? name : `${name}-${index + 1}`;
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
