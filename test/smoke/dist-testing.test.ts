import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The testing entry as shipped (dist/, through the exports map), with a saga defined through the
// main entry: in CommonJS the two entries are separate bundles, and they must still work together.
const root = fileURLToPath(new URL('../..', import.meta.url));

const program = `
  const main = async () => {
    const saga = eventuali.defineSaga('smoke-saga', {
      steps: [{ name: 'a', execute: () => 1, compensate: () => {} }, { name: 'b', execute: () => 2 }],
    });
    const outcome = await testing.sagaScenario(saga).failing('b').expectCompensated(['a'], { failedStep: 'b' });
    testing.assertExpect({ a: 1, b: undefined }).toEqual({ a: 1 });
    const api = testing.nodeTestApi({ describe() {}, it() {}, afterEach() {} });
    console.log(JSON.stringify([outcome.callLog.join(','), typeof api.expect]));
  };
`;
const expected = JSON.stringify(['execute a,execute b,compensate a', 'function']);

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('built package: eventuali/testing', () => {
  it('runs a saga scenario and the node:test expect through the ESM entry points', () => {
    const source = `import * as eventuali from 'eventuali'; import * as testing from 'eventuali/testing'; ${program} await main();`;
    expect(run(['--input-type=module', '-e', source])).toBe(expected);
  });

  it('runs them through the CommonJS entry points', () => {
    const source = `const eventuali = require('eventuali'); const testing = require('eventuali/testing'); ${program}
      main().catch((e) => { console.error(e); process.exit(1); });`;
    expect(run(['-e', source])).toBe(expected);
  });
});
