import { sqliteCode } from './sqlite-errors.js';

/**
 * Waiting out another process's write lock without blocking the event loop.
 *
 * SQLite's own busy handler sleeps inside the call, so a process waiting for a lock serves nothing
 * else meanwhile, and its sleeps grow to 25, 50 and 100 ms. The adapter gives its connection a
 * short busy timeout (`SYNC_BUSY_SLICE_MS`) and waits out longer contention here: the call is made
 * again after short timer sleeps, while the event loop serves other work, until the store's busy
 * timeout has passed.
 */

/** The connection's own busy timeout when the adapter waits out longer contention itself. */
export const SYNC_BUSY_SLICE_MS = 5;

/** Longest sleep between two attempts. */
const MAX_SLEEP_MS = 4;

/** True for SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, …). */
export function isBusy(error: unknown): boolean {
  return sqliteCode(error)?.startsWith('SQLITE_BUSY') ?? false;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` again while it fails with SQLITE_BUSY, until `budgetMs` has passed since the
 * first failure; then rethrows the last error. `attempt` must be safe to repeat after a busy
 * failure: one statement, or a better-sqlite3 transaction (rolled back when it throws).
 */
export async function retryWhileBusy<T>(attempt: () => T, budgetMs: number): Promise<T> {
  const deadline = performance.now() + budgetMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, MAX_SLEEP_MS)) {
    const left = deadline - performance.now();
    if (left <= 0) return attempt();
    await sleep(Math.min(delay, left));
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }
}
