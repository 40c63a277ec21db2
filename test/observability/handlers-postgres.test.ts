import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { postgresTarget } from '../streaming/durable/fixtures.js';
import { describeHandlerTelemetry } from './handlers-suite.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('handlers_otel');
});
afterAll(async () => db?.drop());

describeHandlerTelemetry(() =>
  postgresTarget(
    () => db!.url,
    async () => undefined,
  ),
);
