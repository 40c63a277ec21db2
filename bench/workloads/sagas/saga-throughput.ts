/**
 * i4: completed sagas per second for a 3-step saga whose steps do nothing, from 16 concurrent
 * callers each running `coordinator.start()` then `coordinator.waitFor()`, on a SQLite file at
 * synchronous=FULL and on PostgreSQL. The store runs on an adapter wrapped to count its calls, so
 * the table also gives the store writes (appends, transactions, lease writes) and reads per saga.
 */
import { EventStore, SagaCoordinator, defineSaga } from '../../../src/index.js';
import { openEventualiAdapter } from '../../contenders/eventuali.js';
import { formatWhole as fmt } from '../../lib/format.js';
import { countingAdapter, countsBetween } from '../../lib/counting-adapter.js';
import { collectGarbage } from '../../lib/gc.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { median, runFor, type Op } from '../../lib/timing.js';
import { plainLabel, type BenchDatabase, type Target } from '../../lib/targets.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const CONCURRENCY = 16;
/**
 * PostgreSQL connections: one per concurrent caller (each has one store call in flight at a time),
 * plus the store's post-commit NOTIFY and the coordinator's lease renewal. With the default pool
 * of 10, six of the 16 callers wait for a connection on every write.
 */
const POOL_SIZE = CONCURRENCY + 2;
/** The coordinator's default lease TTL; it renews every third of it. */
const LEASE_TTL_MS = 5000;
const TARGETS: Partial<Record<Target['kind'], number>> = { 'sqlite-full': 500, postgres: 1000 };
const SAGA = 'bench-noop';
const noop = (): undefined => undefined;
const WRITES = ['append', 'transaction', 'acquireLease', 'releaseLease', 'saveCheckpoint', 'saveSnapshot', 'addDeadLetter'];
const READS = ['readStream', 'streamInfo', 'readAll', 'loadSnapshot', 'globalPosition', 'leaseHolder', 'loadCheckpoint', 'readEvents'];

const SAGAS_PER_S = 'sagas/s';
const APPENDS = 'appends/saga';
const LEASES = 'lease writes/saga';
const ALL_WRITES = 'store writes/saga';
const ALL_READS = 'store reads/saga';
const COLUMNS = [SAGAS_PER_S, APPENDS, LEASES, ALL_WRITES, ALL_READS];

const definition = defineSaga(SAGA, {
  steps: [
    { name: 'first', execute: noop },
    { name: 'second', execute: noop },
    { name: 'third', execute: noop },
  ],
});

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const min = TARGETS[target.kind] ?? 0;
  const row = emptyRow('i4', `3-step no-op saga, ${CONCURRENCY} concurrent start + waitFor`, plainLabel(target), SAGAS_PER_S, COLUMNS);
  let db: BenchDatabase | undefined;
  let store: EventStore | undefined;
  let coordinator: SagaCoordinator | undefined;
  try {
    db = await target.fresh('i4');
    const counted = countingAdapter(await openEventualiAdapter(db.location, { poolSize: POOL_SIZE }));
    store = new EventStore(counted.adapter);
    const saga = (coordinator = new SagaCoordinator(store, { sagas: [definition] }));
    let failed = 0;
    const op: Op = async () => {
      const sagaId = await saga.start(SAGA, {});
      const state = await saga.waitFor(sagaId, { timeoutMs: 60_000 });
      if (state.status !== 'completed' || state.stepsCompleted.length !== 3) failed++;
    };
    await runFor(op, { concurrency: CONCURRENCY, durationMs: ctx.settings.warmupMs });
    const rates: number[] = [];
    let sagas = 0;
    let seconds = 0;
    let calls: Record<string, number> = {};
    for (let round = 0; round < ctx.settings.rounds; round++) {
      collectGarbage();
      const before = counted.snapshot();
      const t = await runFor(op, { concurrency: CONCURRENCY, durationMs: ctx.settings.durationMs });
      const delta = countsBetween(before, counted.snapshot());
      for (const [name, n] of Object.entries(delta)) calls[name] = (calls[name] ?? 0) + n;
      rates.push(t.perSecond);
      sagas += t.ops;
      seconds += t.seconds;
    }
    if (failed > 0) throw new Error(`${failed} sagas did not end completed with 3 steps`);
    const per = (names: string[]): number => names.reduce((sum, name) => sum + (calls[name] ?? 0), 0) / sagas;
    row.values = {
      [SAGAS_PER_S]: median(rates),
      [APPENDS]: per(['append']),
      [LEASES]: per(['acquireLease', 'releaseLease']),
      [ALL_WRITES]: per(WRITES),
      [ALL_READS]: per(READS),
    };
    row.rounds = { [SAGAS_PER_S]: rates };
    calls = Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
    row.notes.push(
      `rounds ${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))} sagas/s; ${sagas.toLocaleString('en-US')} sagas measured; ` +
        `adapter calls in the measured rounds: ${Object.entries(calls).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`).join(', ')} ` +
        `(expected 4 appends per saga: SagaStarted, then one per step, the last with SagaCompleted)`,
    );
    const renewals = calls['acquireLease'] ?? 0;
    const due = Math.floor(seconds / (LEASE_TTL_MS / 3 / 1000));
    row.notes.push(
      `coordinator lease renewals in the ${seconds.toFixed(1)} s of measured rounds: ${renewals} (its timer, every ${(LEASE_TTL_MS / 3 / 1000).toFixed(2)} s, ` +
        `would give about ${due})${renewals < due ? ': fewer means the event loop never reached the timer while the sagas ran' : ''}`,
    );
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await coordinator?.stop().catch(() => {});
    await store?.close().catch(() => {});
    await db?.dispose().catch(() => {});
  }
  row.checks.push(check('sagas/s', row.values[SAGAS_PER_S] ?? null, '>=', min, 'value'));
  ctx.log(`  i4 ${target.kind}: ${fmt(row.values[SAGAS_PER_S])} sagas/s, ${(row.values[APPENDS] ?? Number.NaN).toFixed(2)} appends/saga`);
  return row;
}

export const sagaThroughput = durableWorkload('sagas', 'i4', runOn, () => ({
  columns: COLUMNS,
  title: 'Sagas: completed 3-step sagas per second',
  description:
    `\`defineSaga('${SAGA}', { steps: [3 steps whose execute does nothing] })\`, one \`SagaCoordinator\` (default lease, 5 s TTL ` +
    `renewed every 1.67 s) on one store; ${CONCURRENCY} concurrent callers each loop \`await coordinator.start(name, {})\` then ` +
    '`await coordinator.waitFor(sagaId)` (checked: completed, 3 steps). Warm-up, then measured rounds; the median round is ' +
    'reported. The store runs on its adapter wrapped in a Proxy that counts calls: appends (one per saved transition batch), ' +
    'lease writes (the coordinator\'s lease, taken once and renewed on a timer), every write and every read, per completed ' +
    `saga over the measured rounds. On PostgreSQL the store is opened with \`poolSize: ${POOL_SIZE}\` (the default is 10): one ` +
    `connection per concurrent caller, plus one for the post-commit NOTIFY and one for the lease renewal. Four appends per saga ` +
    'is the least that keeps recovery exact: the start must be stored before start() resolves and before step 1 runs (a repeated ' +
    'start must run nothing twice), and each step\'s completion before the next step runs (a completed step never runs again ' +
    'after a crash); only the last completion and SagaCompleted, with no action between them, share a write. ' +
    `Targets: SQLite file (synchronous=FULL) ≥ ${TARGETS['sqlite-full']}/s, PostgreSQL ≥ ${TARGETS.postgres}/s with ${CONCURRENCY} concurrent sagas.`,
}));
