import * as vitest from 'vitest';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresAdapter } from '../../src/postgres.js';
import { describeEventStoreContract } from '../../src/testing.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';

// One database and schema for the file, as an application would use them: tests isolate by unique ids.
let db: TestDatabase;
const schema = uniqueSchemaName('contract');
beforeAll(async () => {
  db = await createTestDatabase('contract');
});
afterAll(async () => {
  await db?.drop();
});

describeEventStoreContract('PostgreSQL', () => openPostgresAdapter(db.url, { schema, poolSize: 12 }), vitest);
