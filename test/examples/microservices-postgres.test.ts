import { describe, it } from 'vitest';
import { createTestDatabase } from '../helpers/postgres.js';
import { checkInternalRoutesClosed, checkUniqueUsers, checkUnstorableText } from './support/hostile-clients.js';
import { checkJourney } from './support/journey.js';
import { checkConcurrentOrders, checkIfMatch, checkProductList, checkRestartMidSaga } from './support/scenarios.js';
import { useSystem } from './support/system.js';
import { TRACING_ENV, checkOrderTrace } from './support/tracing.js';

/**
 * The example system as real processes on PostgreSQL (a fresh database on the test server, the
 * same as the other PostgreSQL tests), driven over HTTP through the gateway.
 */
const system = useSystem(async () => {
  const db = await createTestDatabase('microservices');
  return { databaseUrl: db.url, env: TRACING_ENV, cleanup: () => db.drop() };
});

describe('the microservices example on PostgreSQL, through the gateway', () => {
  it('runs the whole journey', async () => {
    await checkJourney(system().api);
  });

  it('maps If-Match to the expected version: 200 with a current ETag, 412 stale, 428 when required and absent, 400 malformed', async () => {
    await checkIfMatch(system().api);
  });

  it('lists products from the read model, filtered and paged, and refuses bad parameters with 400', async () => {
    await checkProductList(system().api);
  });

  it('creates one user for 20 identical registrations at once, and keeps usernames and emails unique', async () => {
    await checkUniqueUsers(system().api);
  });

  it('answers a NUL character or a lone surrogate in any free-text field with 400 naming the field', async () => {
    await checkUnstorableText(system().api);
  });

  it('keeps the saga’s service-to-service routes off the gateway', async () => {
    await checkInternalRoutesClosed(system().api, system().url('inventory'));
  });

  it('reserves exactly the stock for 100 concurrent orders: none oversold, none stuck', async () => {
    await checkConcurrentOrders(system().api, 100, 30);
  }, 90_000);

  it('traces a confirmed order from the gateway through every service it touches, in one trace', async () => {
    await checkOrderTrace(system());
  });

  it('ends a saga cut by a crash of the order service after its restart', async () => {
    await checkRestartMidSaga(system());
  }, 90_000);
});
