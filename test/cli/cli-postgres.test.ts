import { afterAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { describeCli } from './cli-suite.js';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase('cli');
  databases.push(db);
  return db;
}

describeCli('PostgreSQL', async () => {
  const db = await database();
  return {
    url: db.url,
    // A schema of its own, given as the operator would: --schema.
    globals: ['--schema', 'ops'],
    schema: 'ops',
    fresh: async () => ({ url: (await database()).url, globals: [] }),
  };
});
