/** How often a partition waiting for its turn looks whether it was stopped meanwhile. */
const GIVE_UP_CHECK_MS = 25;

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
   * `givenUp()` turns true while it waits (its partition is stopping) leaves the queue without
   * running `fn`, so a stop or a rebalance does not wait for other partitions' pages.
   */
  async run(fn: () => Promise<void>, givenUp: () => boolean): Promise<void> {
    if (this.#running < this.#limit) this.#running++;
    else if (!(await this.#wait(givenUp))) return;
    try {
      await fn();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next caller, so a newcomer cannot take it first.
      if (next) next();
      else this.#running--;
    }
  }

  /** Resolves true with a slot handed over, or false once `givenUp()` (no slot taken). */
  #wait(givenUp: () => boolean): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const take = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiting.push(take);
      const check = () => {
        if (!givenUp()) {
          timer = setTimeout(check, GIVE_UP_CHECK_MS);
          return;
        }
        const at = this.#waiting.indexOf(take);
        if (at < 0) return; // the slot was handed over meanwhile: `take` resolves
        this.#waiting.splice(at, 1);
        resolve(false);
      };
      timer = setTimeout(check, GIVE_UP_CHECK_MS);
    });
  }
}
