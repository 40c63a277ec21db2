import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { EventStore } from '../../src/index.js';
import { describeStoreObservability } from './store-observability-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'eventuali-obs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreObservability('SQLite file', () => ({
  dbSystem: 'sqlite',
  open: (options) => EventStore.create(`sqlite://${join(dir, 'events.db')}`, options),
}));
