import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './wait.js';

/** A child process running a script of this folder under tsx, talking over IPC. */
export interface Child<M> {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every message received so far, in order. */
  readonly messages: M[];
  /** What it wrote to stderr (for failure reports). */
  stderr(): string;
  readonly alive: boolean;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Resolves with the first message (from now on or already received) matching `predicate`. */
  waitFor(predicate: (message: M) => boolean, what: string, timeoutMs?: number): Promise<M>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

const live = new Set<Child<unknown>>();

export function spawnChild<M>(script: string, args: readonly string[]): Child<M> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const proc = fork(path, [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: M[] = [];
  let stderr = '';
  let alive = true;
  proc.on('message', (message) => messages.push(message as M));
  proc.stdout?.resume();
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      alive = false;
      resolve(code);
    }),
  );
  const child: Child<M> = {
    process: proc,
    pid: proc.pid ?? -1,
    messages,
    stderr: () => stderr,
    get alive() {
      return alive;
    },
    exited,
    async waitFor(predicate, what, timeoutMs = 60_000) {
      await until(() => messages.some(predicate) || !alive, `${script}: ${what}`, timeoutMs);
      const found = messages.find(predicate);
      if (found === undefined) throw new Error(`${script} exited before ${what}; stderr:\n${stderr}`);
      return found;
    },
    async kill() {
      if (alive) proc.kill('SIGKILL');
      await exited;
    },
  };
  live.add(child as Child<unknown>);
  void exited.then(() => live.delete(child as Child<unknown>));
  return child;
}

/** Kills every child still running (afterAll hook). */
export async function killAll(): Promise<void> {
  await Promise.all([...live].map((child) => child.kill()));
}

/** For child scripts: send a message and resolve once it is written to the channel. */
export function report(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('not started with an IPC channel'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** For child scripts: exit when the parent goes away, so no orphan keeps writing. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
}
