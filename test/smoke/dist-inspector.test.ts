import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// eventuali/inspector as it ships: built dist/, through the exports map, as `import` and `require`.
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

const program = `
  const main = async () => {
    const store = await eventuali.EventStore.create('sqlite::memory:');
    const handler = inspector.createInspector(store, { basePath: '/inspector' });
    const server = http.createServer((req, res) => handler(req, res));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = 'http://127.0.0.1:' + server.address().port + '/inspector';
    const overview = await (await fetch(base + '/api/overview')).json();
    const page = await fetch(base + '/');
    const css = await fetch(base + '/assets/inspector.css');
    console.log(JSON.stringify([overview.head, page.status, css.headers.get('content-type')]));
    server.closeAllConnections();
    server.close();
    await store.close();
  };
`;
const expected = JSON.stringify(['0', 200, 'text/css; charset=utf-8']);

describe('built eventuali/inspector', () => {
  it('works through the ESM entry point', () => {
    const source = `
      import * as eventuali from 'eventuali';
      import * as inspector from 'eventuali/inspector';
      import http from 'node:http';
      ${program}
      await main();`;
    expect(run(['--input-type=module', '-e', source])).toBe(expected);
  });

  it('works through the CommonJS entry point', () => {
    const source = `
      const eventuali = require('eventuali');
      const inspector = require('eventuali/inspector');
      const http = require('node:http');
      ${program}
      main().catch((e) => { console.error(e); process.exit(1); });`;
    expect(run(['-e', source])).toBe(expected);
  });
});
