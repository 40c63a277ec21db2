import { AssertionError } from 'node:assert';

/**
 * What a scenario expects a command to throw: an error class, a `code` (an eventuali error code or
 * your own error's `code` property), a predicate over the error, or a pattern of its message.
 */
export type ErrorExpectation =
  | string
  | RegExp
  | (abstract new (...args: never[]) => Error)
  | ((error: unknown) => boolean);

function isErrorClass(value: Function): value is abstract new (...args: never[]) => Error {
  return value === Error || value.prototype instanceof Error;
}

/** @internal whether `error` meets `expected`. */
export function matchesError(error: unknown, expected: ErrorExpectation | undefined): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'string') return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === expected;
  if (expected instanceof RegExp) return error instanceof Error && expected.test(error.message);
  if (isErrorClass(expected)) return error instanceof expected;
  return (expected as (error: unknown) => boolean)(error) === true;
}

/** @internal throws AssertionError unless `error` was thrown and meets `expected`. */
export function assertThrown(error: unknown, threw: boolean, expected: ErrorExpectation | undefined, didInstead: string): void {
  if (!threw) throw new AssertionError({ message: `Expected the command to throw, but it ${didInstead}` });
  if (!matchesError(error, expected)) {
    const wanted = typeof expected === 'function' && !isErrorClass(expected) ? 'the predicate' : String(expected);
    throw new AssertionError({ message: `The command threw ${String(error)}, which does not match ${wanted}`, actual: error, expected });
  }
}
