import { afterAll, beforeAll } from 'vitest';
import { EventStore } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeInspectorApi } from './inspector-api-suite.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('inspector');
});
afterAll(async () => db?.drop());

describeInspectorApi('PostgreSQL', () => EventStore.create(db!.url));
