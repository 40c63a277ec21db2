import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { EventStore } from '../../src/index.js';
import { transferSuite } from './transfer-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'eventuali-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

transferSuite('memory', () => EventStore.create('memory:'));
transferSuite('SQLite file', () => EventStore.create(`sqlite://${join(dir, `events-${++files}.db`)}`));
