/**
 * g1: consumer-group scaling. A PostgreSQL log of 100,000 events (100 aggregates) caught up by one
 * group of 8 partitions run by 1, 2 and 4 instances (child processes), with an I/O-bound handler
 * (awaits 2 ms per event) run two ways: each instance handling all its partitions at once (the
 * default), and each handling at most 2 at a time (`partitionConcurrency: 2`, an instance whose
 * capacity is fixed); and a CPU-bound one (spins 0.2 ms per event); and, for scale, a plain
 * subscription (one instance, one event at a time) with the I/O-bound handler, timed over its
 * first 10,000 events. Figures are events/s from 'go' until every event was handled.
 */
import { fileURLToPath } from 'node:url';
import { startChild, type Child } from '../../lib/child.js';
import { formatWhole as fmt } from '../../lib/format.js';
import { check, describeError, emptyRow, ratio, type ResultRow, type Section } from '../../lib/results.js';
import { seedLog } from '../../lib/seed-log.js';
import { plainLabel, type BenchDatabase, type Location, type Target } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';
import { CPU_MS, IO_MS, type GroupCount } from './consumer-group-handler.js';

const CHILD = fileURLToPath(new URL('./consumer-group-child.ts', import.meta.url));
const EVENTS = 100_000;
const PARTITIONS = 8;
const INSTANCES = [1, 2, 4] as const;
const PLAIN_SAMPLE = 10_000;
const TARGET = 3.0;
/** Partitions one instance handles at once in the bounded run. */
const LIMIT = 2;
const COLUMNS = ['1 instance', '2 instances', '4 instances', 'plain subscription'];

/** Runs `instances` children of one group until they handled `until` events in all; events/s. */
async function runGroup(ctx: BenchContext, location: Location, mode: 'io' | 'cpu', partitions: number, instances: number, until: number, limit?: number): Promise<number> {
  const id = `bench-group-${mode}-${partitions}-${limit ?? 'all'}-${instances}-${Date.now()}`;
  const args = [JSON.stringify(location), mode, String(partitions), id, ...(limit === undefined ? [] : [String(limit)])];
  const children: Child[] = Array.from({ length: instances }, () => startChild(CHILD, args));
  try {
    await Promise.all(children.map((c) => c.next('ready', 120_000)));
    const counts = new Array<number>(instances).fill(0);
    const begin = performance.now();
    for (const child of children) child.send({ type: 'go' });
    let end: number | undefined;
    // Children report their counts every 100 ms: the run ends at the first report that adds up.
    await Promise.all(
      children.map(async (child, i) => {
        while (end === undefined) {
          counts[i] = (await child.next<GroupCount>('count', 900_000)).handled;
          if (end === undefined && counts.reduce((a, b) => a + b, 0) >= until) end = performance.now();
        }
      }),
    );
    const seconds = ((end ?? performance.now()) - begin) / 1000;
    for (const child of children) child.send({ type: 'stop' });
    const rate = until / seconds;
    const bound = limit === undefined ? '' : `, ${limit} at a time`;
    ctx.log(`  g1 ${mode} partitions ${partitions || 'none (plain)'}${bound} x ${instances}: ${fmt(rate)} events/s (${seconds.toFixed(1)} s for ${until.toLocaleString('en-US')})`);
    return rate;
  } finally {
    await Promise.all(children.map((c) => c.exited(20_000)));
  }
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow[]> {
  const label = plainLabel(target);
  const io = emptyRow('g1', `catch-up over ${EVENTS.toLocaleString('en-US')} events, handler awaits ${IO_MS} ms per event, ${PARTITIONS} partitions`, label, 'events/s', COLUMNS);
  const bounded = emptyRow(
    'g1',
    `catch-up over ${EVENTS.toLocaleString('en-US')} events, handler awaits ${IO_MS} ms per event, ${PARTITIONS} partitions, partitionConcurrency: ${LIMIT}`,
    label,
    'events/s',
    COLUMNS,
  );
  const cpu = emptyRow('g1', `catch-up over ${EVENTS.toLocaleString('en-US')} events, handler spins ${CPU_MS} ms per event, ${PARTITIONS} partitions`, label, 'events/s', COLUMNS);
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('g1');
    await seedLog(db.location, EVENTS);
    for (const [row, mode, limit] of [[io, 'io', undefined], [bounded, 'io', LIMIT], [cpu, 'cpu', undefined]] as const) {
      for (const [i, instances] of INSTANCES.entries()) {
        row.values[COLUMNS[i]!] = await runGroup(ctx, db.location, mode, PARTITIONS, instances, EVENTS, limit);
      }
    }
    io.values['plain subscription'] = await runGroup(ctx, db.location, 'io', 0, 1, PLAIN_SAMPLE);
  } catch (error) {
    for (const row of [io, bounded, cpu]) row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await db?.dispose().catch(() => {});
  }
  bounded.checks.push(check('4 instances / 1 instance', ratio(bounded.values['4 instances'], bounded.values['1 instance']), '>=', TARGET));
  io.notes.push(
    `4 instances / 1 instance: ${ratio(io.values['4 instances'], io.values['1 instance'])?.toFixed(2) ?? 'n/a'}x: ` +
      `one instance already handles all ${PARTITIONS} partitions at once, so more instances add no concurrency (the ceiling is ${PARTITIONS} partitions x one event per ${IO_MS} ms). ` +
      `With partitionConcurrency (next row) each instance's share is bounded and instances add throughput.`,
  );
  io.notes.push(
    `4 instances / plain subscription: ${ratio(io.values['4 instances'], io.values['plain subscription'])?.toFixed(1) ?? 'n/a'}x; ` +
      `1 instance of the group / plain subscription: ${ratio(io.values['1 instance'], io.values['plain subscription'])?.toFixed(1) ?? 'n/a'}x ` +
      `(one instance already runs its ${PARTITIONS} partitions at once; the plain subscription's figure is over its first ${PLAIN_SAMPLE.toLocaleString('en-US')} events).`,
  );
  cpu.notes.push(`4 instances / 1 instance: ${ratio(cpu.values['4 instances'], cpu.values['1 instance'])?.toFixed(2) ?? 'n/a'}x on this machine's cores (no target).`);
  return [io, bounded, cpu];
}

export const consumerGroups: Workload = {
  name: 'consumer-groups',
  ids: ['g1'],
  async run(ctx): Promise<Section> {
    const rows: ResultRow[] = [];
    for (const target of ctx.stores.filter((t) => t.kind === 'postgres')) rows.push(...(await runOn(ctx, target)));
    return {
      id: 'g1',
      columns: COLUMNS,
      title: 'Consumer groups: catch-up by 1, 2 and 4 instances',
      description:
        `A PostgreSQL log of ${EVENTS.toLocaleString('en-US')} events (100 aggregates of 1,000, seeded raw). Each instance is a child process ` +
        `running \`store.subscribe({ id, partitions: ${PARTITIONS}, batchSize: 100, leaseTtlMs: 2000, handle })\` (and, in the bounded row, ` +
        `\`partitionConcurrency: ${LIMIT}\`); all start together and the ` +
        'time runs from their start until the events they handled add up to the log. The I/O-bound handler awaits a 2 ms timer; the ' +
        'CPU-bound one spins 0.2 ms. The plain subscription (no `partitions`, one instance) is timed over its first ' +
        `${PLAIN_SAMPLE.toLocaleString('en-US')} events. Target: 4 instances ≥ ${TARGET}× one instance (I/O-bound, each instance bounded).`,
      rows,
    };
  },
};
