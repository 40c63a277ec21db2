import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { postgresTarget } from '../streaming/durable/fixtures.js';
import { describeSagas } from './saga-suite.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('sagas');
});
afterAll(async () => db?.drop());

describeSagas(() =>
  postgresTarget(
    () => db!.url,
    async () => undefined,
  ),
);
