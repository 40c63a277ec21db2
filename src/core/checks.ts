import { describeValue, InvalidArgumentError } from './errors.js';

/**
 * The general argument checks every layer uses: each throws `InvalidArgumentError` naming the
 * argument, before anything is read or written. (Limits of stored values are in `limits.ts`.)
 */

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

/** Throws unless `list` is undefined or an array of non-empty strings without NUL characters. */
export function checkStringList(argument: string, list: unknown): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item.length === 0 || item.includes('\u0000'))) {
    throw new InvalidArgumentError(argument, 'must be an array of non-empty strings without NUL characters');
  }
}
