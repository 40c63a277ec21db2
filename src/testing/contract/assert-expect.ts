import { AssertionError } from 'node:assert';
import { inspect, isDeepStrictEqual } from 'node:util';
import { looselyEqual, matchesObject } from './equality.js';

type Class = abstract new (...args: never[]) => unknown;

/** The matchers `assertExpect` gives, with vitest's meaning; a failed one throws Node's `AssertionError`. */
export interface AssertMatchers<R = void> {
  toBe(expected: unknown): R;
  toEqual(expected: unknown): R;
  toStrictEqual(expected: unknown): R;
  toMatchObject(expected: object): R;
  toBeInstanceOf(expected: Class): R;
  toHaveLength(expected: number): R;
  toHaveProperty(path: string, value?: unknown): R;
  toContain(expected: unknown): R;
  toContainEqual(expected: unknown): R;
  toMatch(expected: RegExp | string): R;
  toBeNull(): R;
  toBeUndefined(): R;
  toBeDefined(): R;
  toBeTruthy(): R;
  toBeFalsy(): R;
  toBeGreaterThan(expected: number | bigint): R;
  toBeGreaterThanOrEqual(expected: number | bigint): R;
  toBeLessThan(expected: number | bigint): R;
  toBeLessThanOrEqual(expected: number | bigint): R;
  toThrow(expected?: unknown): R;
}

export interface AssertExpectation extends AssertMatchers {
  /** The same matchers, negated. */
  readonly not: AssertExpectation;
  /** Awaits the promise (or calls the function and awaits it) and matches the reason it rejected with. */
  readonly rejects: AsyncExpectation;
  /** Awaits the promise (or calls the function and awaits it) and matches the value it resolved with. */
  readonly resolves: AsyncExpectation;
}

export interface AsyncExpectation extends AssertMatchers<Promise<void>> {
  readonly not: AsyncExpectation;
}

type Check = (actual: unknown, args: unknown[], thrown: boolean) => { pass: boolean; message: string };

const show = (value: unknown) => inspect(value, { depth: 6, breakLength: 120 });
const hasLength = (value: unknown): value is { length: number } =>
  (typeof value === 'string' || (typeof value === 'object' && value !== null)) && typeof (value as { length?: unknown }).length === 'number';
const compare = (op: string, test: (a: number | bigint, b: number | bigint) => boolean): Check => (actual, [expected]) => ({
  pass: (typeof actual === 'number' || typeof actual === 'bigint') && test(actual, expected as number | bigint),
  message: `${show(actual)} ${op} ${show(expected)}`,
});

/** Whether a thrown value is what `toThrow(expected)` asks for: a class, a message pattern or part, an error's message. */
function thrownMatches(error: unknown, expected: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (expected === undefined) return true;
  if (typeof expected === 'function') return error instanceof (expected as Class);
  if (expected instanceof RegExp) return expected.test(message);
  if (typeof expected === 'string') return message.includes(expected);
  if (expected instanceof Error) return message === expected.message;
  return matchesObject(error, expected);
}

const CHECKS: Record<keyof AssertMatchers, Check> = {
  toBe: (a, [e]) => ({ pass: Object.is(a, e), message: `${show(a)} to be ${show(e)} (Object.is)` }),
  toEqual: (a, [e]) => ({ pass: looselyEqual(a, e), message: `${show(a)} to equal ${show(e)}` }),
  toStrictEqual: (a, [e]) => ({ pass: isDeepStrictEqual(a, e), message: `${show(a)} to strictly equal ${show(e)}` }),
  toMatchObject: (a, [e]) => ({ pass: matchesObject(a, e), message: `${show(a)} to match object ${show(e)}` }),
  toBeInstanceOf: (a, [e]) => ({ pass: a instanceof (e as Class), message: `${show(a)} to be an instance of ${(e as Class).name}` }),
  toHaveLength: (a, [e]) => ({ pass: hasLength(a) && a.length === e, message: `${show(a)} to have length ${show(e)}` }),
  toHaveProperty: (a, args) => {
    let value: unknown = a;
    let found = true;
    for (const key of String(args[0]).split('.')) {
      if (value === null || value === undefined || !(key in Object(value))) {
        found = false;
        break;
      }
      value = (value as Record<string, unknown>)[key];
    }
    const pass = found && (args.length < 2 || looselyEqual(value, args[1]));
    return { pass, message: `${show(a)} to have property ${String(args[0])}${args.length < 2 ? '' : ` = ${show(args[1])}`}` };
  },
  toContain: (a, [e]) => ({
    pass: typeof a === 'string' ? typeof e === 'string' && a.includes(e) : isIterable(a) && [...a].some((item) => Object.is(item, e)),
    message: `${show(a)} to contain ${show(e)}`,
  }),
  toContainEqual: (a, [e]) => ({ pass: isIterable(a) && [...a].some((item) => looselyEqual(item, e)), message: `${show(a)} to contain an item equal to ${show(e)}` }),
  toMatch: (a, [e]) => ({
    pass: typeof a === 'string' && (e instanceof RegExp ? e.test(a) : a.includes(String(e))),
    message: `${show(a)} to match ${show(e)}`,
  }),
  toBeNull: (a) => ({ pass: a === null, message: `${show(a)} to be null` }),
  toBeUndefined: (a) => ({ pass: a === undefined, message: `${show(a)} to be undefined` }),
  toBeDefined: (a) => ({ pass: a !== undefined, message: `${show(a)} to be defined` }),
  toBeTruthy: (a) => ({ pass: Boolean(a), message: `${show(a)} to be truthy` }),
  toBeFalsy: (a) => ({ pass: !a, message: `${show(a)} to be falsy` }),
  toBeGreaterThan: compare('>', (a, b) => a > b),
  toBeGreaterThanOrEqual: compare('>=', (a, b) => a >= b),
  toBeLessThan: compare('<', (a, b) => a < b),
  toBeLessThanOrEqual: compare('<=', (a, b) => a <= b),
  toThrow: (a, [e], thrown) => {
    if (thrown) return { pass: thrownMatches(a, e), message: `the rejection ${show(a)} to match ${show(e)}` };
    if (typeof a !== 'function') return { pass: false, message: `${show(a)} to be a function that throws` };
    try {
      (a as () => unknown)();
    } catch (error) {
      return { pass: thrownMatches(error, e), message: `the thrown ${show(error)} to match ${show(e)}` };
    }
    return { pass: false, message: `the function to throw${e === undefined ? '' : ` ${show(e)}`}, but it returned` };
  },
};

const MATCHERS = Object.keys(CHECKS) as (keyof AssertMatchers)[];

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && value !== undefined && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function fail(label: string | undefined, negated: boolean, message: string, actual: unknown, operator: string): never {
  const text = `Expected ${negated ? 'not ' : ''}${message}`;
  throw new AssertionError({ message: label ? `${label}: ${text}` : text, actual, operator });
}

function syncMatchers(actual: unknown, label: string | undefined, negated: boolean): AssertExpectation {
  const matchers = {} as Record<keyof AssertMatchers, (...args: unknown[]) => void>;
  for (const name of MATCHERS) {
    matchers[name] = (...args: unknown[]) => {
      const { pass, message } = CHECKS[name](actual, args, false);
      if (pass === negated) fail(label, negated, message, actual, name);
    };
  }
  return Object.defineProperties(matchers as unknown as AssertExpectation, {
    not: { get: () => syncMatchers(actual, label, !negated) },
    rejects: { get: () => asyncMatchers(actual, label, negated, 'rejects') },
    resolves: { get: () => asyncMatchers(actual, label, negated, 'resolves') },
  });
}

function asyncMatchers(actual: unknown, label: string | undefined, negated: boolean, mode: 'rejects' | 'resolves'): AsyncExpectation {
  const matchers = {} as Record<keyof AssertMatchers, (...args: unknown[]) => Promise<void>>;
  for (const name of MATCHERS) {
    matchers[name] = async (...args: unknown[]) => {
      let settled: { ok: boolean; value: unknown };
      try {
        settled = { ok: true, value: await (typeof actual === 'function' ? (actual as () => unknown)() : actual) };
      } catch (error) {
        settled = { ok: false, value: error };
      }
      if (mode === 'rejects' && settled.ok) fail(label, false, `the promise to reject, but it resolved with ${show(settled.value)}`, settled.value, name);
      if (mode === 'resolves' && !settled.ok) fail(label, false, `the promise to resolve, but it rejected with ${show(settled.value)}`, settled.value, name);
      const { pass, message } = CHECKS[name](settled.value, args, mode === 'rejects');
      if (pass === negated) fail(label, negated, message, settled.value, `${mode}.${name}`);
    };
  }
  return Object.defineProperty(matchers as unknown as AsyncExpectation, 'not', { get: () => asyncMatchers(actual, label, !negated, mode) });
}

/**
 * An `expect` with vitest's matchers (the ones the contract suite uses, and the common others),
 * built on `node:assert`: a failed expectation throws `AssertionError`, which node:test, mocha and
 * any other runner report as a failure. `message` prefixes the failure's text.
 *
 * @example
 * assertExpect({ a: 1, b: undefined }).toEqual({ a: 1 });
 * await assertExpect(store.load(Account, id)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
 */
export function assertExpect(actual: unknown, message?: string): AssertExpectation {
  return syncMatchers(actual, message, false);
}
