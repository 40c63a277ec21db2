import { afterAll, beforeAll } from 'vitest';
import { EventStore } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeStoreObservability } from './store-observability-suite.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('observability');
});
afterAll(async () => db?.drop());

describeStoreObservability('PostgreSQL', () => ({
  dbSystem: 'postgresql',
  open: (options) => EventStore.create(db!.url, options),
}));
