import { AssertionError } from 'node:assert';

/** A check of the error a command threw: true when it is the expected one. */
export type ErrorPredicate = (error: unknown) => boolean;

/** An error class, as `instanceof` takes it. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * What a scenario expects a command to throw: an error class, a `code` (an eventuali error code or
 * your own error's `code` property), a predicate over the error, or a pattern of its message.
 */
export type ErrorExpectation = string | RegExp | ErrorClass | ErrorPredicate;

function isErrorClass(expected: ErrorClass | ErrorPredicate): expected is ErrorClass {
  return expected === Error || (typeof expected.prototype === 'object' && expected.prototype instanceof Error);
}

/** @internal whether `error` meets `expected` (anything meets no expectation). */
export function matchesError(error: unknown, expected: ErrorExpectation | undefined): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'string') return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === expected;
  if (expected instanceof RegExp) return error instanceof Error && expected.test(error.message);
  return isErrorClass(expected) ? error instanceof expected : expected(error) === true;
}

/** @internal throws AssertionError unless `error` was thrown and meets `expected`. */
export function assertThrown(error: unknown, threw: boolean, expected: ErrorExpectation | undefined, didInstead: string): void {
  if (!threw) throw new AssertionError({ message: `Expected the command to throw, but it ${didInstead}` });
  if (!matchesError(error, expected)) {
    const wanted = typeof expected === 'function' && !isErrorClass(expected) ? 'the predicate' : String(expected);
    throw new AssertionError({ message: `The command threw ${String(error)}, which does not match ${wanted}`, actual: error, expected });
  }
}
