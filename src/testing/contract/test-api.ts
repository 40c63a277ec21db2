/**
 * The test-runner functions the contract suite calls. Pass vitest's (`import * as vitest from
 * 'vitest'`) or jest's globals, or `nodeTestApi(test)` for node:test (`import * as test from
 * 'node:test'`): the suite imports no runner itself, so `eventuali/testing` loads in any runner
 * and in CommonJS.
 */
export interface ContractTestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void> | void): void;
  afterEach(fn: () => Promise<void> | void): void;
  expect: ContractExpect;
}

export type ContractExpect = (actual: unknown, message?: string) => ContractMatchers;

export interface ContractMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeInstanceOf(expected: abstract new (...args: never[]) => unknown): void;
  toHaveLength(expected: number): void;
  toBeNull(): void;
  toBeLessThanOrEqual(expected: number | bigint): void;
  toThrow(expected?: unknown): void;
  readonly not: ContractMatchers;
  readonly rejects: {
    toBe(expected: unknown): Promise<void>;
    toMatchObject(expected: object): Promise<void>;
    toBeInstanceOf(expected: abstract new (...args: never[]) => unknown): Promise<void>;
  };
}
