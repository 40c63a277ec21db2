import { describeValue, InvalidArgumentError } from '../core/errors.js';
import { checkTimerMs } from '../core/limits.js';
import type { UnknownEventsPolicy } from '../core/event-registry.js';

/** Options every store takes. */
export interface EventStoreOptions {
  /** Take a snapshot when an aggregate's version crosses a multiple of this number (off by default). */
  snapshotEvery?: number;
  /** `'raw'` returns events of unregistered types with their data undecoded, instead of throwing. */
  unknownEvents?: UnknownEventsPolicy;
  /** Validate stored data against its schema on every read (default true). */
  validateOnRead?: boolean;
  /** Receives what the store cannot throw to a caller, such as a failed snapshot write after a commit. */
  onWarning?: (message: string, error: unknown) => void;
}

/** Options of SQLite stores. */
export interface SqliteStoreOptions extends EventStoreOptions {
  /** `'full'` (default) syncs every commit to disk; `'normal'` may lose the last commits on power loss. */
  synchronous?: 'full' | 'normal';
  /** How long a write waits for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** Options of PostgreSQL stores. */
export interface PostgresStoreOptions extends EventStoreOptions {
  /** Schema holding the store's tables (default `eventuali`); a plain identifier. */
  schema?: string;
  /** Largest number of pooled connections (default 10), for stores opened from a URL. */
  poolSize?: number;
}

/** Options of `EventStore.create(url, options)`: the ones of the URL's adapter apply. */
export type CreateStoreOptions = SqliteStoreOptions & PostgresStoreOptions;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Throws InvalidArgumentError unless `name` is a lowercase SQL identifier. */
export function checkIdentifier(argument: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new InvalidArgumentError(argument, `${JSON.stringify(name)} must be a lowercase identifier ([a-z_][a-z0-9_]*, at most 63 characters)`);
  }
}

export function checkPositiveInteger(
  argument: string,
  value: unknown,
  { allowZero = false, max = Number.MAX_SAFE_INTEGER } = {},
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new InvalidArgumentError(argument, `must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${describeValue(value)}`);
  }
  if (value > max) throw new InvalidArgumentError(argument, `must be at most ${max}, got ${value}`);
}

/** Throws unless `options` is undefined or an object (a null passed for options is refused, not read). */
export function checkOptionsObject(argument: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new InvalidArgumentError(argument, `must be an object, got ${describeValue(options)}`);
  }
}

/** Checks the options every store shares. */
export function checkStoreOptions(options: unknown): asserts options is EventStoreOptions {
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
  if (o.synchronous !== undefined && o.synchronous !== 'full' && o.synchronous !== 'normal') {
    throw new InvalidArgumentError('synchronous', `must be 'full' or 'normal', got ${describeValue(o.synchronous)}`);
  }
  if (o.busyTimeoutMs !== undefined) checkTimerMs('busyTimeoutMs', o.busyTimeoutMs, 0);
  if (o.schema !== undefined) checkIdentifier('schema', o.schema);
  if (o.poolSize !== undefined) checkPositiveInteger('poolSize', o.poolSize);
}
