import { checkIdentifier, checkPositiveInteger } from '../../core/checks.js';
import type { EventStoreOptions } from '../../core/store-options.js';
import { checkGroupCommitOption, type GroupCommitOptions } from '../sql/group-commit-options.js';

/** Options of PostgreSQL stores. */
export interface PostgresStoreOptions extends EventStoreOptions {
  /** Schema holding the store's tables (default `eventuali`); a plain identifier. */
  schema?: string;
  /** Largest number of pooled connections (default 10), for stores opened from a URL. */
  poolSize?: number;
  /** Concurrent appends share one statement and commit (off by default: `{}` turns it on; see docs/event-store.md, "Group commit"). */
  groupCommit?: false | GroupCommitOptions;
}

/** Checks the PostgreSQL settings among a store's options. */
export function checkPostgresOptions(options: Record<string, unknown>): void {
  if (options.schema !== undefined) checkIdentifier('schema', options.schema);
  if (options.poolSize !== undefined) checkPositiveInteger('poolSize', options.poolSize);
  checkGroupCommitOption(options.groupCommit);
}
