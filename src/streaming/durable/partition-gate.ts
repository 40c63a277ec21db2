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

  /** Runs `fn` once fewer than `limit` others run, in the order the callers came. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next caller, so a newcomer cannot take it first.
      if (next) next();
      else this.#running--;
    }
  }
}
