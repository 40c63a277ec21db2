import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeCli } from './cli-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'eventuali-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fresh = 0;
describeCli('SQLite', async () => ({
  url: `sqlite://${join(dir, 'events.db')}`,
  globals: [],
  fresh: async () => ({ url: `sqlite://${join(dir, `fresh-${++fresh}.db`)}`, globals: [] }),
}));
