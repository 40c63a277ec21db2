/**
 * m1: `POST /api/users` through the example's API gateway (gateway → user service → event store,
 * and the notification service's welcome note behind it), every service its own process, loaded
 * with autocannon: each request registers a new user (unique username). Targets: ≥ 1,000 req/s,
 * p99 ≤ 100 ms, no errors.
 */
import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { check, emptyRow, type ResultRow } from '../../lib/results.js';
import { plainLabel, type Target } from '../../lib/targets.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';
import { CONNECTIONS, onServices, postLoad, SERVICES_LOG_LEVEL } from './services-system.js';

const REQ_S = 'req/s';
const P50 = 'p50 ms';
const P99 = 'p99 ms';
const ERRORS = 'errors';
const COLUMNS = [REQ_S, P50, P99, ERRORS];

/** Registers new users (unique usernames) for `seconds`. */
function registerUsers(url: string, seconds: number): Promise<autocannon.Result> {
  const run = randomUUID().slice(0, 8);
  return postLoad(url, '/api/users', { duration: seconds }, 10, (i) => {
    const name = `u${run}-${i + 1}`;
    return { username: name, email: `${name}@example.com`, first_name: 'Bench' };
  });
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row = emptyRow('m1', `POST /api/users through the gateway, ${CONNECTIONS} connections`, plainLabel(target), REQ_S, COLUMNS);
  await onServices(target, 'm1', row, async (url) => {
    const quick = ctx.settings.mode === 'quick';
    await registerUsers(url, quick ? 1 : 3); // warm-up: JIT, connection pools, SQLite pages
    const result = await registerUsers(url, quick ? 3 : 10);
    const errors = result.errors + result.timeouts + result.non2xx;
    row.values = { [REQ_S]: result['2xx'] / result.duration, [P50]: result.latency.p50, [P99]: result.latency.p99, [ERRORS]: errors };
    row.notes.push(
      `${result['2xx'].toLocaleString('en-US')} users registered in ${result.duration.toFixed(1)} s after a ${quick ? 1 : 3} s warm-up; ` +
        `latency mean ${result.latency.average.toFixed(1)} ms, max ${result.latency.max} ms; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
    ctx.log(`  m1 ${row.store}: ${Math.round(row.values[REQ_S] ?? 0)} req/s, p99 ${result.latency.p99} ms, ${errors} errors`);
  });
  row.checks.push(
    check('req/s', row.values[REQ_S] ?? null, '>=', 1000, 'value'),
    check('p99 latency (ms)', row.values[P99] ?? null, '<=', 100, 'value'),
    check('errors', row.values[ERRORS] ?? null, '<=', 0, 'value'),
  );
  return row;
}

export const httpUsers = durableWorkload('http-users', 'm1', runOn, () => ({
  columns: COLUMNS,
  title: 'Microservices example: POST /api/users through the gateway',
  description:
    'The example system of examples/microservices as `npm run demo` runs it: the gateway and the user, order, inventory and ' +
    'notification services each in its own Node process (tsx), on a fresh SQLite file (the example opens it at synchronous=FULL; ' +
    'five processes share it) or a fresh PostgreSQL database, logging at `' + SERVICES_LOG_LEVEL + '`. autocannon (in the bench process, on the same ' +
    `machine) keeps ${CONNECTIONS} connections busy with \`POST /api/users\`, each registering a new user (unique username); the ` +
    'gateway forwards it to the user service, which validates it and saves a UserRegistered event; the notification service ' +
    'records a welcome notification for each through its durable subscription meanwhile. Warm-up 3 s, then 10 s measured: ' +
    'req/s = 2xx answers / duration; latency percentiles over every request; errors = connection errors + timeouts + non-2xx.',
}));
