import { describeValue, InvalidArgumentError } from './errors.js';

/**
 * The largest values the stores' columns hold. A value past them is refused with
 * `InvalidArgumentError` before any SQL runs, the same on every adapter.
 */

/** Largest global position (PostgreSQL `bigint`, SQLite `INTEGER`). */
export const MAX_GLOBAL_POSITION = 2n ** 63n - 1n;

/** Largest aggregate version (PostgreSQL `integer`). */
export const MAX_AGGREGATE_VERSION = 2 ** 31 - 1;

/** Longest delay Node.js timers keep; a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Whether `value` is a delay Node.js timers keep: an integer from `min` to MAX_TIMER_MS. A longer
 * one (or a fraction, NaN, Infinity) makes a timer fire after 1 ms: a wait would become a busy loop.
 */
export function isTimerMs(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS;
}

/** Throws InvalidArgumentError unless `value` is a delay Node.js timers keep (see isTimerMs). */
export function checkTimerMs(argument: string, value: unknown, min: number): asserts value is number {
  if (!isTimerMs(value, min)) {
    throw new InvalidArgumentError(argument, `must be an integer from ${min} to ${MAX_TIMER_MS} ms, got ${describeValue(value)}`);
  }
}

/** Timestamps PostgreSQL's `timestamptz` and ISO-8601 text both hold: years 0001 to 9999. */
const MIN_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Throws unless `value` is a valid Date within years 0001–9999. */
export function checkTimestamp(argument: string, value: unknown): asserts value is Date {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new InvalidArgumentError(argument, 'must be a valid Date');
  if (time < MIN_TIMESTAMP_MS || time > MAX_TIMESTAMP_MS) {
    throw new InvalidArgumentError(argument, `must fall within years 0001–9999, got ${(value as Date).toISOString()}`);
  }
}

/** Throws unless `value` is a plain object (not an array, a class instance or a primitive). */
export function checkPlainObject(argument: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, 'must be a plain object');
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new InvalidArgumentError(argument, 'must be a plain object');
}

/** A UTF-16 surrogate not paired with its other half: it has no UTF-8 form. */
export const LONE_SURROGATE = /\p{Cs}/u;

// JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX (lowercase): an escape
// whose backslash is not itself escaped, i.e. preceded by an even number of backslashes.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

/**
 * Throws InvalidArgumentError when `json` (JSON.stringify of `value`) holds a NUL character or a
 * lone surrogate in a string or a key. PostgreSQL's jsonb cannot store either (and SQLite would
 * keep what PostgreSQL refuses), so every adapter refuses them, before any SQL runs. The message
 * names where in `value` the first one is.
 */
export function checkStorableJson(argument: string, json: string, value: unknown): void {
  if (!json.includes('\\u') || !UNSTORABLE_ESCAPE.test(json)) return;
  const found = findUnstorable(value, '', new Set());
  const where = found?.path ? ` at ${found.path}` : '';
  throw new InvalidArgumentError(
    argument,
    `holds ${found?.what ?? 'a NUL character or a lone UTF-16 surrogate'}${where}; stored JSON cannot hold it on every database (PostgreSQL's jsonb refuses it), so no store accepts it`,
  );
}

function unstorableIn(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate';
  return undefined;
}

function findUnstorable(value: unknown, path: string, seen: Set<object>): { what: string; path: string } | undefined {
  if (typeof value === 'string') {
    const what = unstorableIn(value);
    return what ? { what, path } : undefined;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const what = unstorableIn(key);
    if (what) return { what: `${what} in a key`, path: at };
    const inner = findUnstorable(item, at, seen);
    if (inner) return inner;
  }
  return undefined;
}
