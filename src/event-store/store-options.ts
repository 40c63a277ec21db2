import { describeValue, InvalidArgumentError } from '../core/errors.js';
import { checkPositiveInteger } from '../core/checks.js';
import type { EventStoreOptions } from '../core/store-options.js';
import { checkLogger } from '../observability/logger.js';
import type { ObservabilityOptions } from '../observability/instrumentation.js';
import { checkPostgresOptions, type PostgresStoreOptions } from '../store/postgres/postgres-options.js';
import { checkSqliteOptions, type SqliteStoreOptions } from '../store/sqlite/sqlite-options.js';

/** Options of `EventStore.create(url, options)`: the ones of the URL's adapter apply. */
export type CreateStoreOptions = SqliteStoreOptions & PostgresStoreOptions & ObservabilityOptions;

/** Checks the options every store shares, and each adapter's own. */
export function checkStoreOptions(options: unknown): asserts options is EventStoreOptions & ObservabilityOptions {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError('options', 'must be an object');
  }
  const o = options as Record<string, unknown>;
  if (o.snapshotEvery !== undefined) checkPositiveInteger('snapshotEvery', o.snapshotEvery);
  if (o.unknownEvents !== undefined && o.unknownEvents !== 'error' && o.unknownEvents !== 'raw') {
    throw new InvalidArgumentError('unknownEvents', `must be 'error' or 'raw', got ${describeValue(o.unknownEvents)}`);
  }
  if (o.validateOnRead !== undefined && typeof o.validateOnRead !== 'boolean') {
    throw new InvalidArgumentError('validateOnRead', 'must be a boolean');
  }
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') {
    throw new InvalidArgumentError('onWarning', 'must be a function');
  }
  for (const key of ['tracing', 'metrics'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new InvalidArgumentError(key, 'must be a boolean');
  }
  if (o.logger !== undefined) checkLogger(o.logger);
  checkSqliteOptions(o);
  checkPostgresOptions(o);
}
