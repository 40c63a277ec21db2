/**
 * One at a time per key, within this process: `run(keys, fn)` waits until no other run holds any
 * of `keys`, then runs `fn`. Keys are taken in sorted order, so two runs sharing keys cannot wait
 * on each other. It spares a hot aggregate (a popular product) the storm of optimistic
 * concurrency conflicts that many simultaneous writers of one process would cause; writers in
 * other processes are still caught by the store's version check.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.#acquire(key));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  async #acquire(key: string): Promise<() => void> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => held) : held;
    this.#tails.set(key, tail);
    if (previous) await previous;
    return () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
  }
}
