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
