// docs/testing.md, "Under node:test": the contract suite against countingAdapter with Node's
// built-in runner. `npm run test:node` runs it (test/node-test/contract.ts imports it).
// #region node-test
import * as test from 'node:test';
import { MemoryAdapter } from '../../src/index.js';
import { describeEventStoreContract, nodeTestApi } from '../../src/testing.js';
import { countingAdapter } from './counting-adapter.js';

// Run with: node --import tsx --test counting-adapter.node-test.ts
// nodeTestApi(test) is node:test's describe, it and afterEach, with an expect built on node:assert.
describeEventStoreContract('countingAdapter over memory (node:test)', () => countingAdapter(new MemoryAdapter()), nodeTestApi(test));
// #endregion
