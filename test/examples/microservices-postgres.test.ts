import { describe, it } from 'vitest';
import { createTestDatabase } from '../helpers/postgres.js';
import { checkJourney } from './support/journey.js';
import { checkConcurrentOrders, checkRestartMidSaga } from './support/scenarios.js';
import { useSystem } from './support/system.js';

/**
 * The example system as real processes on PostgreSQL (a fresh database on the test server, the
 * same as the other PostgreSQL tests), driven over HTTP through the gateway.
 */
const system = useSystem(async () => {
  const db = await createTestDatabase('microservices');
  return { databaseUrl: db.url, cleanup: () => db.drop() };
});

describe('the microservices example on PostgreSQL, through the gateway', () => {
  it('runs the whole journey', async () => {
    await checkJourney(system().api);
  });

  it('reserves exactly the stock for 100 concurrent orders: none oversold, none stuck', async () => {
    await checkConcurrentOrders(system().api, 100, 30);
  }, 90_000);

  it('ends a saga cut by a crash of the order service after its restart', async () => {
    await checkRestartMidSaga(system());
  }, 90_000);
});
