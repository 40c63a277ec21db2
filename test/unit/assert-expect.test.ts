import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, InvalidArgumentError } from '../../src/index.js';
import { assertExpect, type AssertMatchers } from '../../src/testing.js';

class Point {
  constructor(
    readonly x: number,
    readonly y?: number,
  ) {}
  get sum(): number {
    return this.x + (this.y ?? 0);
  }
}

type Case = [matcher: keyof AssertMatchers, actual: unknown, args: unknown[], passes: boolean];

const conflict = new ConcurrencyError('acc-1', 1, 3);
const date = new Date('2024-01-02T03:04:05.678Z');

/** Each case runs through vitest's expect and assertExpect: both must agree on pass or fail. */
const CASES: Case[] = [
  ['toBe', 1, [1], true],
  ['toBe', { a: 1 }, [{ a: 1 }], false],
  ['toBe', Number.NaN, [Number.NaN], true],
  ['toBe', 0, [-0], false],
  ['toBe', 2n ** 70n, [2n ** 70n], true],
  ['toEqual', { a: 1, b: undefined }, [{ a: 1 }], true],
  ['toEqual', { a: 1 }, [{ a: 1, b: undefined }], true],
  ['toEqual', { a: 1 }, [{ a: 2 }], false],
  ['toEqual', { a: 1, c: 3 }, [{ a: 1 }], false],
  ['toEqual', new Point(1, 2), [{ x: 1, y: 2 }], true],
  ['toEqual', new Point(1), [{ x: 1 }], true],
  ['toEqual', [1, 2], [[1, 2, 3]], false],
  ['toEqual', [1, [2, { c: 3n }]], [[1, [2, { c: 3n }]]], true],
  ['toEqual', [], [[]], true],
  ['toEqual', date, [new Date(date.getTime())], true],
  ['toEqual', date, [new Date(0)], false],
  ['toEqual', date, [date.toISOString()], false],
  ['toEqual', { d: date }, [{ d: {} }], false],
  ['toEqual', 1n, [1], false],
  ['toEqual', new Map([['a', { x: 1 }]]), [new Map([['a', { x: 1 }]])], true],
  ['toEqual', new Map([['a', 1]]), [new Map([['a', 2]])], false],
  ['toEqual', new Set([1, 2]), [new Set([2, 1])], true],
  ['toEqual', new Set([1, 2]), [new Set([1, 3])], false],
  ['toEqual', /a/g, [/a/g], true],
  ['toEqual', /a/g, [/a/], false],
  ['toEqual', null, [undefined], false],
  ['toEqual', { a: null }, [{}], false],
  ['toEqual', new Error('x'), [new Error('x')], true],
  ['toEqual', new Error('x'), [new Error('y')], false],
  ['toMatchObject', { a: 1, b: 2 }, [{ a: 1 }], true],
  ['toMatchObject', { a: 1 }, [{ a: 1, b: 2 }], false],
  ['toMatchObject', { a: { b: 1, c: 2 } }, [{ a: { b: 1 } }], true],
  ['toMatchObject', { a: [{ b: 1, c: 2 }] }, [{ a: [{ b: 1 }] }], true],
  ['toMatchObject', { a: [1, 2] }, [{ a: [1] }], false],
  ['toMatchObject', new Point(1, 2), [{ x: 1, sum: 3 }], true],
  ['toMatchObject', new Point(1, 2), [{ sum: 4 }], false],
  ['toMatchObject', conflict, [{ code: 'CONCURRENCY_CONFLICT', aggregateId: 'acc-1', actualVersion: 3 }], true],
  ['toMatchObject', conflict, [{ code: 'CONCURRENCY_CONFLICT', actualVersion: 2 }], false],
  ['toMatchObject', { d: date }, [{ d: new Date(date.getTime()) }], true],
  ['toMatchObject', { a: undefined }, [{ a: undefined }], true],
  ['toMatchObject', {}, [{ a: undefined }], false],
  ['toBeInstanceOf', conflict, [ConcurrencyError], true],
  ['toBeInstanceOf', conflict, [InvalidArgumentError], false],
  ['toBeInstanceOf', date, [Date], true],
  ['toHaveLength', [1, 2], [2], true],
  ['toHaveLength', 'abc', [2], false],
  ['toBeNull', null, [], true],
  ['toBeNull', undefined, [], false],
  ['toBeUndefined', undefined, [], true],
  ['toBeDefined', 0, [], true],
  ['toBeTruthy', 0, [], false],
  ['toBeFalsy', '', [], true],
  ['toBeLessThanOrEqual', 7, [7], true],
  ['toBeLessThanOrEqual', 8, [7], false],
  ['toBeLessThanOrEqual', 3n, [4n], true],
  ['toBeLessThan', 7, [7], false],
  ['toBeGreaterThan', 2n, [1n], true],
  ['toBeGreaterThanOrEqual', 1, [2], false],
  ['toContain', [1, 2], [2], true],
  ['toContain', [{ a: 1 }], [{ a: 1 }], false],
  ['toContain', 'hello', ['ell'], true],
  ['toContainEqual', [{ a: 1 }], [{ a: 1 }], true],
  ['toMatch', 'hello', [/^h/], true],
  ['toMatch', 'hello', ['xyz'], false],
  ['toHaveProperty', { a: { b: 1 } }, ['a.b', 1], true],
  ['toHaveProperty', { a: { b: 1 } }, ['a.c'], false],
  ['toStrictEqual', new Point(1), [{ x: 1, y: undefined }], false],
  ['toStrictEqual', { a: [1] }, [{ a: [1] }], true],
  ['toThrow', () => { throw conflict; }, [ConcurrencyError], true],
  ['toThrow', () => { throw conflict; }, [InvalidArgumentError], false],
  ['toThrow', () => { throw new Error('bad eventId'); }, [/eventId/], true],
  ['toThrow', () => { throw new Error('bad eventId'); }, ['event'], true],
  ['toThrow', () => { throw new Error('bad eventId'); }, [/nope/], false],
  ['toThrow', () => 1, [], false],
  ['toThrow', () => { throw new Error('x'); }, [], true],
];

const passes = (run: () => void): boolean => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

describe('assertExpect: the matchers mean what vitest’s mean', () => {
  it.each(CASES.map((c, i) => [i, ...c] as const))('case %i: %s', (_i, matcher, actual, args, expected) => {
    const call = (e: unknown) => (e as Record<string, (...a: unknown[]) => void>)[matcher]!(...args);
    expect(passes(() => call(expect(actual))), 'vitest').toBe(expected);
    expect(passes(() => call(assertExpect(actual))), 'assertExpect').toBe(expected);
    expect(passes(() => call(assertExpect(actual).not)), 'assertExpect.not').toBe(!expected);
  });

  it('throws AssertionError naming both values and the caller’s message', () => {
    let error: unknown;
    try {
      assertExpect({ a: 1 }, 'loaded account').toEqual({ a: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssertionError);
    expect((error as Error).message).toBe('loaded account: Expected { a: 1 } to equal { a: 2 }');
    expect(() => assertExpect(1).not.toBe(1)).toThrow('Expected not 1 to be 1');
    expect(() => assertExpect(1).not.not.toBe(2)).toThrow(AssertionError);
  });

  it('rejects: matches the reason, fails when the promise resolves', async () => {
    await assertExpect(Promise.reject(conflict)).rejects.toBeInstanceOf(ConcurrencyError);
    await assertExpect(Promise.reject(conflict)).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    await assertExpect(() => Promise.reject(conflict)).rejects.toThrow(ConcurrencyError);
    await assertExpect(Promise.reject(conflict)).rejects.not.toBeInstanceOf(InvalidArgumentError);
    await assertExpect(Promise.reject(conflict)).rejects.toBe(conflict);
    await expect(assertExpect(Promise.reject(conflict)).rejects.toBeInstanceOf(InvalidArgumentError)).rejects.toThrow(
      /to be an instance of InvalidArgumentError/,
    );
    await expect(assertExpect(Promise.resolve(5)).rejects.toMatchObject({})).rejects.toThrow('Expected the promise to reject, but it resolved with 5');
    await expect(assertExpect(Promise.resolve(5)).rejects.not.toBe(1)).rejects.toThrow(AssertionError);
  });

  it('resolves: matches the value, fails when the promise rejects', async () => {
    await assertExpect(Promise.resolve({ a: 1, b: 2 })).resolves.toMatchObject({ a: 1 });
    await expect(assertExpect(Promise.resolve(1)).resolves.toBe(2)).rejects.toThrow(AssertionError);
    await expect(assertExpect(Promise.reject(conflict)).resolves.toBeDefined()).rejects.toThrow(/to resolve, but it rejected/);
  });
});
