import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../../src/index.js';
import { describeInspectorApi } from './inspector-api-suite.js';

describeInspectorApi('SQLite file', () => EventStore.create(`sqlite://${join(mkdtempSync(join(tmpdir(), 'eventuali-inspector-')), 'events.db')}`));
