/** Above this many events per ms (1,000/s), a live stream counts as busy. */
const BUSY_EVENTS_PER_MS = 1;
/** After a read that found events, the next one waits at least this long… */
const MIN_GAP_MS = 2;
/** …and on a busy stream, this many times the read's own duration (up to MAX_GAP_MS). */
const GAP_PER_READ_MS = 20;
const MAX_GAP_MS = 50;

/**
 * How long a live subscription lets commits gather before its next read. A commit wakes the loop
 * at once, but a query per commit takes the database's CPU (and, on PostgreSQL, its snapshot lock)
 * from the writers: after a read that found events the next waits 2 ms, and while more than 1,000
 * events/s arrive, 20 times the read's duration (at most 50 ms) — the busier the database, the
 * fewer the queries. A quiet stream (under 500 events/s) keeps its latency.
 * @internal
 */
export class ReadPacer {
  /** Events per ms, smoothed over the last reads. */
  #rate = 0;
  #lastReadAt: number | undefined;

  /** Records a live read at `at` that took `readMs` and found `count` events; returns the least ms from `at` to the next. */
  gapAfter(count: number, readMs: number, at: number): number {
    if (this.#lastReadAt !== undefined && at > this.#lastReadAt) {
      this.#rate = 0.7 * this.#rate + (0.3 * count) / (at - this.#lastReadAt);
    }
    this.#lastReadAt = at;
    if (count === 0) return 0;
    if (this.#rate < BUSY_EVENTS_PER_MS) return MIN_GAP_MS;
    return Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, GAP_PER_READ_MS * readMs));
  }
}
