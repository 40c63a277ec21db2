// A node:test file whose expectation fails: test/smoke/node-test.test.ts checks that the run
// reports it, so a contract run that passes is known to be able to fail.
import * as test from 'node:test';
import { nodeTestApi } from '../../src/testing.js';

const { describe, it, expect } = nodeTestApi(test);

describe('a failing expectation', () => {
  it('passes', () => expect({ a: 1, b: undefined }).toEqual({ a: 1 }));
  it('fails', async () => {
    await expect(Promise.resolve('resolved')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
