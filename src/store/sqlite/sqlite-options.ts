import { describeValue, InvalidArgumentError } from '../../core/errors.js';
import { checkTimerMs } from '../../core/limits.js';
import type { EventStoreOptions } from '../../core/store-options.js';
import { checkGroupCommitOption, type GroupCommitOptions } from '../sql/group-commit-options.js';

/** Options of SQLite stores. */
export interface SqliteStoreOptions extends EventStoreOptions {
  /** `'full'` (default) syncs every commit to disk; `'normal'` may lose the last commits on power loss. */
  synchronous?: 'full' | 'normal';
  /** How long a write waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Concurrent appends share one commit (on by default on a file; see docs/event-store.md, "Group commit"); `false` turns it off. */
  groupCommit?: false | GroupCommitOptions;
}

/** Checks the SQLite settings among a store's options. */
export function checkSqliteOptions(options: Record<string, unknown>): void {
  if (options.synchronous !== undefined && options.synchronous !== 'full' && options.synchronous !== 'normal') {
    throw new InvalidArgumentError('synchronous', `must be 'full' or 'normal', got ${describeValue(options.synchronous)}`);
  }
  if (options.busyTimeoutMs !== undefined) checkTimerMs('busyTimeoutMs', options.busyTimeoutMs, 0);
  checkGroupCommitOption(options.groupCommit);
}
