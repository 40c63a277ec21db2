/**
 * Child processes of the bench: a file forked with the parent's own Node flags (tsx's loader), and
 * messages both ways over the IPC channel. The parent waits for a message by its `type`; a child
 * that throws reports `{ type: 'error' }` and exits, which rejects whatever the parent waits for.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** Any object with a `type`: the rest of its fields are the message's own. */
export interface Message {
  type: string;
}

export interface Child {
  readonly pid: number | undefined;
  send<T extends Message>(message: T): void;
  /** The next message of this type (queued ones first); rejects on an error report, an exit or the timeout. */
  next<T extends Message>(type: string, timeoutMs?: number): Promise<T>;
  /** Asks nothing: waits for the child to exit (killing it after `graceMs`). */
  exited(graceMs?: number): Promise<number | null>;
  kill(): void;
}

const DEFAULT_TIMEOUT_MS = 600_000;

/** Forks `file` with `args`, the parent's execArgv plus `extraFlags`, and an IPC channel. */
export function startChild(file: string, args: readonly string[], extraFlags: readonly string[] = []): Child {
  const proc: ChildProcess = fork(file, [...args], {
    execArgv: [...process.execArgv, ...extraFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: Message[] = [];
  const waiters: { type: string; resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  let exitCode: number | null | undefined;
  const exitWaiters: ((code: number | null) => void)[] = [];

  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  };
  proc.on('message', (raw: unknown) => {
    const message = raw as Message;
    if (message.type === 'error') {
      fail(new Error(`child ${file.split('/').pop() ?? file}: ${String((message as { message?: unknown }).message)}`));
      return;
    }
    const index = waiters.findIndex((w) => w.type === message.type);
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(message);
    else queue.push(message);
  });
  proc.on('error', (error) => fail(error));
  proc.on('exit', (code, signal) => {
    exitCode = code;
    fail(new Error(`child ${file.split('/').pop() ?? file} exited (code ${String(code)}, signal ${String(signal)})`));
    for (const resolve of exitWaiters.splice(0)) resolve(code);
  });

  return {
    pid: proc.pid,
    send<T extends Message>(message: T) {
      if (proc.connected) proc.send(message);
    },
    next<T extends Message>(type: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
      const index = queue.findIndex((m) => m.type === type);
      if (index >= 0) return Promise.resolve(queue.splice(index, 1)[0] as T);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          reject(new Error(`no ${type} message from the child within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          type,
          resolve: (m: Message) => {
            clearTimeout(timer);
            resolve(m as T);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.push(waiter);
      });
    },
    exited(graceMs = 10_000) {
      if (exitCode !== undefined) return Promise.resolve(exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        exitWaiters.push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    kill() {
      if (exitCode === undefined) proc.kill('SIGKILL');
    },
  };
}

/** In a child: sends a message to the parent (no-op without an IPC channel). */
export function toParent<T extends Message>(message: T): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

const inbox: Message[] = [];
const inboxWaiters: { type: string; resolve: (m: Message) => void }[] = [];

// In a forked child, every message from the parent is kept from the start, so none is missed.
if (process.send) {
  process.on('message', (raw: unknown) => {
    const message = raw as Message;
    const index = inboxWaiters.findIndex((w) => w.type === message.type);
    if (index >= 0) inboxWaiters.splice(index, 1)[0]?.resolve(message);
    else inbox.push(message);
  });
}

/** In a child: the next message of this type from the parent (messages that came earlier are kept). */
export function fromParent<T extends Message>(type: string): Promise<T> {
  const index = inbox.findIndex((m) => m.type === type);
  if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0] as T);
  return new Promise((resolve) => inboxWaiters.push({ type, resolve: (m) => resolve(m as T) }));
}

/** In a child: runs `main`, reports a thrown error to the parent, and exits. */
export function runChild(main: () => Promise<void>): void {
  main().then(
    async () => {
      process.disconnect?.();
      process.exit(0);
    },
    async (error: unknown) => {
      await toParent({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      process.exit(1);
    },
  );
}
