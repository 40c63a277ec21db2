/**
 * How many of a consumer-group instance's partitions deliver at the same time
 * (`partitionConcurrency`): a first-in, first-out counting gate, taken around each page a
 * partition delivers. Reading, leases and checkpoints are not gated; only handlers are.
 * @internal
 */
export class PartitionGate {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Runs `fn` once fewer than `limit` others run, in the order the callers came. A caller whose
   * `stopped` signal aborts while it waits (its partition is stopping) leaves the queue without
   * running `fn`, so a stop or a rebalance does not wait for other partitions' pages.
   */
  async run(fn: () => Promise<void>, stopped: AbortSignal): Promise<void> {
    if (this.#running < this.#limit) this.#running++;
    else if (!(await this.#wait(stopped))) return;
    try {
      await fn();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next caller, so a newcomer cannot take it first.
      if (next) next();
      else this.#running--;
    }
  }

  /** Resolves true with a slot handed over, or false once `stopped` aborts (no slot taken). */
  #wait(stopped: AbortSignal): Promise<boolean> {
    if (stopped.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const leave = () => {
        this.#waiting.splice(this.#waiting.indexOf(take), 1);
        resolve(false);
      };
      const take = () => {
        stopped.removeEventListener('abort', leave);
        resolve(true);
      };
      this.#waiting.push(take);
      stopped.addEventListener('abort', leave, { once: true });
    });
  }
}
