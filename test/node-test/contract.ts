// The contract suite under Node's built-in runner (not vitest): `npm run test:node`, which
// test/smoke/node-test.test.ts runs inside `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as test from 'node:test';
import { MemoryAdapter } from '../../src/index.js';
import { openSqliteAdapter } from '../../src/sqlite.js';
import { describeEventStoreContract, nodeTestApi } from '../../src/testing.js';
// The docs' example (docs/testing.md) runs here too.
import '../../docs/examples/counting-adapter.node-test.js';

const runner = nodeTestApi(test);

describeEventStoreContract('memory (node:test)', () => new MemoryAdapter(), runner);

const dir = mkdtempSync(join(tmpdir(), 'eventuali-node-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
describeEventStoreContract('SQLite file (node:test)', () => openSqliteAdapter(join(dir, 'events.db')), runner);
