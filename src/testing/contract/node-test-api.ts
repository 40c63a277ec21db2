import { assertExpect } from './assert-expect.js';
import type { ContractTestApi } from './test-api.js';

/** The functions of a runner that has no `expect`: node:test's module, or mocha's globals. */
export type RunnerWithoutExpect = Pick<ContractTestApi, 'describe' | 'it' | 'afterEach'>;

/**
 * The contract suite's runner API for Node's built-in test runner (or any runner with `describe`,
 * `it` and `afterEach` but no `expect`): the runner's functions, and an `expect` with vitest's
 * semantics built on `node:assert` (`toEqual` ignores `undefined` properties, `toMatchObject`
 * matches a subset, `.not`, `.rejects`…).
 *
 * @example
 * import * as test from 'node:test';
 * import { MemoryAdapter } from 'eventuali';
 * import { describeEventStoreContract, nodeTestApi } from 'eventuali/testing';
 * describeEventStoreContract('memory', () => new MemoryAdapter(), nodeTestApi(test));
 * // node --import tsx --test contract.test.ts
 */
export function nodeTestApi(runner: RunnerWithoutExpect): ContractTestApi {
  return { describe: runner.describe, it: runner.it, afterEach: runner.afterEach, expect: assertExpect };
}
