import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` is vitest: this file runs the node:test files too (as `npm run test:node` does),
// so the contract suite is proven under Node's built-in runner in every run.
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  output: string;
  count: (what: 'tests' | 'pass' | 'fail') => number;
}

function runNodeTest(files: string[]): Promise<Run> {
  const args = ['--import', 'tsx', '--test', '--test-reporter=tap', ...files];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(stdout)?.[1] ?? Number.NaN);
      resolve({ code, output, count });
    });
  });
}

describe('the contract suite under node:test', () => {
  it('passes on memory and a SQLite file (test/node-test/*.ts)', async () => {
    const files = readdirSync(join(root, 'test/node-test'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `test/node-test/${name}`);
    expect(files.length).toBeGreaterThan(0);
    const run = await runNodeTest(files);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    expect(run.count('fail')).toBe(0);
    // Both adapters' whole suite ran (the suite has dozens of cases per adapter).
    expect(run.count('tests')).toBeGreaterThanOrEqual(40);
    expect(run.count('pass')).toBe(run.count('tests'));
  }, 120_000);

  it('reports a failing expectation as a failed test, with its message', async () => {
    const run = await runNodeTest(['test/node-test-fixtures/failing.ts']);
    expect(run.code).not.toBe(0);
    expect(run.count('pass')).toBe(1);
    expect(run.count('fail')).toBe(1);
    expect(run.output).toContain("Expected the promise to reject, but it resolved with 'resolved'");
  }, 60_000);
});
