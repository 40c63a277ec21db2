/**
 * A FIFO lock for adapters with one writer. `run` calls `fn` at once when the lock is free (no
 * promise hop on the fast path) and queues it otherwise.
 */
export class AsyncLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  get held(): boolean {
    return this.#held;
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#held = true;
    try {
      return await fn();
    } finally {
      const next = this.#waiters.shift();
      if (next) next();
      else this.#held = false;
    }
  }
}
