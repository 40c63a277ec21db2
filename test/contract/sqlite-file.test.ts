import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteAdapter } from '../../src/sqlite.js';
import * as vitest from 'vitest';
import { describeEventStoreContract } from '../../src/testing.js';

// One WAL file for the whole file, as an application would use it: tests isolate by unique ids.
const dir = mkdtempSync(join(tmpdir(), 'eventuali-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('SQLite file (WAL)', () => openSqliteAdapter(join(dir, 'events.db')), vitest);
