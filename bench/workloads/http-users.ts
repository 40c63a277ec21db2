/**
 * m1: `POST /api/users` through the example's API gateway (gateway → user service → event store,
 * and the notification service's welcome note behind it), every service its own process, loaded
 * with autocannon: each request registers a new user (unique username). Targets: ≥ 1,000 req/s,
 * p99 ≤ 100 ms, no errors.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { onServices, SERVICES_LOG_LEVEL } from './services-system.js';
import { check, type ResultRow } from '../lib/results.js';
import type { Target } from '../lib/targets.js';
import type { BenchContext, Workload } from './workload.js';

const CONNECTIONS = 32;
const REQ_S = 'req/s';
const P50 = 'p50 ms';
const P99 = 'p99 ms';
const ERRORS = 'errors';

/** Targets the HTTP workloads run on: the example's own stores (it opens SQLite files at synchronous=FULL). */
export function serviceTargets(ctx: BenchContext): Target[] {
  return ctx.stores.filter((t) => t.kind === 'sqlite-full' || t.kind === 'postgres');
}

export const storeLabel = (target: Target): string => (target.kind === 'postgres' ? 'PostgreSQL' : 'SQLite file, synchronous=FULL');

function registerUsers(url: string, seconds: number): Promise<autocannon.Result> {
  const run = randomUUID().slice(0, 8);
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/api/users',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const name = `u${run}-${++n}`;
          return { ...request, body: JSON.stringify({ username: name, email: `${name}@example.com`, first_name: 'Bench' }) };
        },
      },
    ],
  });
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row: ResultRow = {
    id: 'm1',
    workload: `POST /api/users through the gateway, ${CONNECTIONS} connections`,
    store: storeLabel(target),
    unit: REQ_S,
    values: { [REQ_S]: null, [P50]: null, [P99]: null, [ERRORS]: null },
    checks: [],
    notes: [],
  };
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

export const httpUsers: Workload = {
  name: 'http-users',
  ids: ['m1'],
  async run(ctx) {
    const rows: ResultRow[] = [];
    for (const target of serviceTargets(ctx)) rows.push(await runOn(ctx, target));
    return {
      id: 'm1',
      title: 'Microservices example: POST /api/users through the gateway',
      description:
        'The example system of examples/microservices as `npm run demo` runs it: the gateway and the user, order, inventory and ' +
        'notification services each in its own Node process (tsx), on a fresh SQLite file (the example opens it at synchronous=FULL; ' +
        'five processes share it) or a fresh PostgreSQL database, logging at `' + SERVICES_LOG_LEVEL + '`. autocannon (in the bench process, on the same ' +
        `machine) keeps ${CONNECTIONS} connections busy with \`POST /api/users\`, each registering a new user (unique username); the ` +
        'gateway forwards it to the user service, which validates it and saves a UserRegistered event; the notification service ' +
        'records a welcome notification for each through its durable subscription meanwhile. Warm-up 3 s, then 10 s measured: ' +
        'req/s = 2xx answers / duration; latency percentiles over every request; errors = connection errors + timeouts + non-2xx.',
      columns: [REQ_S, P50, P99, ERRORS],
      rows,
    };
  },
};
