import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Test what ships: the built dist/ through the package's own exports map, as `import` and `require`.
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

const program = `
  const { z } = zod;
  const Opened = eventuali.defineEvent('SmokeOpened', z.object({ owner: z.string() }));
  class Account extends eventuali.Aggregate {
    static aggregateType = 'SmokeAccount';
    owner = '';
    open(owner) { this.apply(Opened.create({ owner })); }
    applySmokeOpened(event) { this.owner = event.data.owner; }
  }
  const main = async () => {
    const results = [];
    for (const url of ['memory:', 'sqlite::memory:']) {
      const store = await eventuali.EventStore.create(url);
      const account = new Account('a-1');
      account.open('ann');
      await store.save(account);
      results.push((await store.load(Account, 'a-1')).owner);
      await store.close();
    }
    results.push(typeof sqlite.createSqliteAdapter, typeof postgres.createPostgresAdapter, typeof testing.scenario);
    results.push(eventuali.isEventualiError(new eventuali.ConcurrencyError('x', 1, 2), 'CONCURRENCY_CONFLICT'));
    // eventuali/http recognises the errors of eventuali (a separate entry, the same error brand).
    results.push(http.toHttpError(new eventuali.ConcurrencyError('x', 1, 2), { ifMatch: true }).status, http.parseIfMatch(http.toEtag(3)));
    console.log(JSON.stringify(results));
  };
`;
const expected = JSON.stringify(['ann', 'ann', 'function', 'function', 'function', true, 412, 3]);

describe('built package', () => {
  it('has been built', () => {
    expect(existsSync(`${root}/dist/index.js`), 'run `npm run build` first (npm test does it)').toBe(true);
  });

  it('works through the ESM entry points', () => {
    const source = `
      import * as eventuali from 'eventuali';
      import * as sqlite from 'eventuali/sqlite';
      import * as postgres from 'eventuali/postgres';
      import * as testing from 'eventuali/testing';
      import * as http from 'eventuali/http';
      import * as zod from 'zod';
      ${program}
      await main();`;
    expect(run(['--input-type=module', '-e', source])).toBe(expected);
  });

  it('works through the CommonJS entry points', () => {
    const source = `
      const eventuali = require('eventuali');
      const sqlite = require('eventuali/sqlite');
      const postgres = require('eventuali/postgres');
      const testing = require('eventuali/testing');
      const http = require('eventuali/http');
      const zod = require('zod');
      ${program}
      main().catch((e) => { console.error(e); process.exit(1); });`;
    expect(run(['-e', source])).toBe(expected);
  });
});
