// docs/testing.md, "Testing an adapter": the whole contract suite against countingAdapter.
// test/docs/specs.test.ts imports it, so vitest runs the suite.
// #region contract
import * as vitest from 'vitest';
import { MemoryAdapter } from '../../src/index.js';
import { describeEventStoreContract } from '../../src/testing.js';
import { countingAdapter } from './counting-adapter.js';

// The factory is called once per test; the suite closes each store (and so the adapter) after it.
// The last argument is the test runner's API: vitest's module, or jest's globals.
describeEventStoreContract('countingAdapter over memory', () => countingAdapter(new MemoryAdapter()), vitest);
// #endregion
