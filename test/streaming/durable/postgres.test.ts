import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { describeDurableSubscriptions } from './durable-suite.js';
import { postgresTarget } from './fixtures.js';
import { describeProjections } from './projection-suite.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('durable');
});
afterAll(async () => db?.drop());

const target = () =>
  postgresTarget(
    () => db!.url,
    async () => undefined,
  );
describeDurableSubscriptions(target);
describeProjections(target);
