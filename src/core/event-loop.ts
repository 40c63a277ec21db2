/**
 * Letting the event loop turn during long runs of work that never waits for I/O.
 *
 * On SQLite every statement finishes synchronously (better-sqlite3), so a catch-up or a run of
 * sagas whose steps do not wait for I/O chain promise callbacks only, and timers never fire: a
 * lease goes unrenewed (and looks dead to other instances) while its holder is busiest. Such loops
 * call `letEventLoopTurn()` once per iteration: it resolves at once unless a setImmediate it queued
 * 20 ms ago or more has still not run, and then after the loop turns.
 * @internal
 */

const STALLED_AFTER_MS = 20;
/** When the pending setImmediate marker was queued; undefined once it ran. */
let turnQueuedAt: number | undefined;

function stalled(): boolean {
  const now = performance.now();
  if (turnQueuedAt === undefined) {
    turnQueuedAt = now;
    setImmediate(() => (turnQueuedAt = undefined));
    return false;
  }
  return now - turnQueuedAt >= STALLED_AFTER_MS;
}

/** Undefined (no wait) when the loop turned lately; else a promise resolved after it turns. */
export function letEventLoopTurn(): Promise<void> | undefined {
  return stalled() ? new Promise((resolve) => setImmediate(resolve)) : undefined;
}
