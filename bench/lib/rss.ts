/**
 * Resident set size sampling. A timer samples in the background, but paging through SQLite runs
 * without yielding to timers for long stretches, so callers also `sample()` after each unit of work.
 */
const MB = 1024 * 1024;

export function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

export class RssSampler {
  #peak = rssMb();
  #samples = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 10) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    const now = rssMb();
    this.#samples++;
    if (now > this.#peak) this.#peak = now;
  }

  get peakMb(): number {
    return this.#peak;
  }

  get samples(): number {
    return this.#samples;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}
