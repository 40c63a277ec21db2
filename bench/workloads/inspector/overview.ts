/**
 * ins1: the inspector's overview over a large store. The store is seeded with 1,000,000 events
 * (bench/lib/seed-log.ts), given a subscription checkpoint halfway (so it lags) and a saga; then
 * `GET api/overview` and `GET /` (the HTML page, which runs the same reads) are timed over HTTP
 * on loopback, the handler mounted on a plain node:http server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineSaga, SagaCoordinator } from '../../../src/index.js';
import { createInspector } from '../../../src/inspector.js';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { formatWhole as fmt } from '../../lib/format.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { plainLabel, type BenchDatabase, type Target } from '../../lib/targets.js';
import { median } from '../../lib/timing.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const LIMIT_MS = 100;
const WARMUP = 3;
const COLUMNS = ['api/overview p50 (ms)', 'api/overview max (ms)', 'page p50 (ms)', 'page max (ms)'];
const [API_P50, API_MAX, PAGE_P50, PAGE_MAX] = COLUMNS as [string, string, string, string];

async function timed(url: string, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < WARMUP + times; i++) {
    const begin = performance.now();
    const response = await fetch(url);
    await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= WARMUP) out.push(performance.now() - begin);
  }
  return out;
}

async function runOn(ctx: BenchContext, target: Target, events: number, times: number): Promise<ResultRow> {
  const row = emptyRow('ins1', `inspector overview over ${events.toLocaleString('en-US')} events`, plainLabel(target), 'ms', COLUMNS);
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('ins1');
    await seedLog(db.location, events);
    const store = await openEventualiStore(db.location);
    try {
      const half = BigInt(events / 2);
      await store.adapter.saveCheckpoint('bench-mailer', (await store.readAll({ fromPosition: 0n, limit: 1 }))[0]!.globalPosition + half);
      const saga = defineSaga('bench', { input: z.object({}), steps: [{ name: 'one', execute: () => 1 }] });
      const coordinator = new SagaCoordinator(store, { sagas: [saga] });
      await coordinator.waitFor(await coordinator.start('bench', {}), { timeoutMs: 30_000 });
      await coordinator.stop();
      const inspector = createInspector(store, { basePath: '/inspector' });
      const server = createServer((req, res) => inspector(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inspector`;
      try {
        const api = await timed(`${base}/api/overview`, times);
        const page = await timed(`${base}/`, times);
        row.values[API_P50] = median(api);
        row.values[API_MAX] = Math.max(...api);
        row.values[PAGE_P50] = median(page);
        row.values[PAGE_MAX] = Math.max(...page);
        row.rounds = { [API_P50]: api, [PAGE_P50]: page };
        row.checks.push(check('api/overview p50 (ms)', median(api), '<=', LIMIT_MS, 'value'));
        row.checks.push(check('page p50 (ms)', median(page), '<=', LIMIT_MS, 'value'));
        row.notes.push(`${times} requests each after ${WARMUP} warm-up; api/overview ${api.map(fmt).join(', ')} ms`);
        ctx.log(`  ins1 ${target.kind}: api/overview p50 ${median(api).toFixed(1)} ms, page p50 ${median(page).toFixed(1)} ms`);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    } finally {
      await store.close();
    }
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await db?.dispose().catch(() => {});
  }
  return row;
}

export const inspectorOverview = durableWorkload(
  'inspector-overview',
  'ins1',
  (ctx, target) => runOn(ctx, target, ctx.settings.memoryEvents, ctx.settings.mode === 'full' ? 20 : 10),
  (ctx) => {
    const events = ctx.settings.memoryEvents;
    return {
      columns: COLUMNS,
      title: `The inspector's overview over ${events.toLocaleString('en-US')} events`,
      description:
        `A store seeded with ${events.toLocaleString('en-US')} events in 1,000 streams (bench/lib/seed-log.ts), one subscription ` +
        'checkpoint halfway (so its lag is counted, up to the inspector\'s cap of 1,000) and one completed saga. ' +
        '`createInspector(store)` on a plain node:http server; `GET api/overview` (head position, stream count, ' +
        'events/s over five minutes from the last 5,000 events, every subscription with owner, checkpoint, lag and dead letters, ' +
        'sagas by status) and `GET /` (the same reads rendered as HTML) timed over loopback with fetch, one at a time, after ' +
        `${WARMUP} warm-up requests. Target: p50 ≤ ${LIMIT_MS} ms.`,
    };
  },
);
