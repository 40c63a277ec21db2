/**
 * `npm run bench`: every workload of bench/README.md in one run, by folder of bench/workloads/:
 * store (1a–1d, 2, 3: eventuali against the raw driver on SQLite FULL, NORMAL and PostgreSQL),
 * streaming (4, i3a–i3c), sagas (i4), read models (rm), observability (o1), example-system (m1, m2) and peers (p1–p7: eventuali against
 * Emmett and the raw driver). Prints the tables and writes bench/RESULTS.md and bench/results.json.
 *
 *   npm run bench                         everything, full rounds (about 11 minutes on 2 idle cores)
 *   npm run bench -- --quick              the same workloads, fewer and shorter rounds (minutes: bench/README.md)
 *   npm run bench -- --only 1a,load       some workloads, by number or name (--help lists them)
 *   npm run bench -- --only peers         eventuali against Emmett and the raw driver; installs
 *                                         Emmett into bench/node_modules first when it is missing
 *   npm run bench -- --stores sqlite-full,postgres   some of the item-1 stores
 *
 * A full run of everything writes bench/RESULTS.md and bench/results.json; a run with --quick,
 * --only or --stores writes them to bench/.out/ instead, so the kept table is always a full run.
 * DATABASE_URL, when set, is the PostgreSQL server (it needs the right to create databases);
 * otherwise an embedded server with default durability runs under the OS temp dir.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eventuali } from './contenders/eventuali.js';
import { raw } from './contenders/raw.js';
import { textTable, summaryLines } from './lib/format.js';
import { describeMachine } from './lib/machine.js';
import { startPostgres, type PostgresServer } from './lib/postgres-server.js';
import { writeReport } from './lib/report.js';
import type { Section } from './lib/results.js';
import { FULL, QUICK } from './lib/settings.js';
import { postgresTarget, sqliteFileTarget, sqliteMemoryTarget, type Target } from './lib/targets.js';
import type { BenchContext, Workload } from './lib/workload.js';
import { httpOrders } from './workloads/example-system/http-orders.js';
import { httpUsers } from './workloads/example-system/http-users.js';
import { observabilityOverhead } from './workloads/observability/overhead.js';
import { inspectorOverview } from './workloads/inspector/overview.js';
import { emmettVersions, peerComparison } from './workloads/peers/comparison.js';
import { readModels } from './workloads/projections/read-models.js';
import { sagaThroughput } from './workloads/sagas/saga-throughput.js';
import { deciderHandle } from './workloads/store/decider-handle.js';
import { loadSnapshot } from './workloads/store/load-snapshot.js';
import { loadStream } from './workloads/store/load-stream.js';
import { pythonShapes } from './workloads/store/python-shapes.js';
import { readAllMemory } from './workloads/store/read-all-memory.js';
import { saveBatch } from './workloads/store/save-batch.js';
import { saveOne } from './workloads/store/save-one.js';
import { groupCommit } from './workloads/store/group-commit.js';
import { storeTransfer } from './workloads/store/store-transfer.js';
import { appendWithSubscriber } from './workloads/streaming/append-with-subscriber.js';
import { catchUp } from './workloads/streaming/catch-up.js';
import { consumerGroups } from './workloads/streaming/consumer-groups.js';
import { eventStreamer } from './workloads/streaming/event-streamer.js';
import { liveLatency } from './workloads/streaming/live-latency.js';

/** Every workload, in run order, by folder: store, streaming, sagas, example system, peers. */
const WORKLOADS: readonly Workload[] = [
  ...[saveOne, saveBatch, loadStream, loadSnapshot, deciderHandle, groupCommit, pythonShapes, readAllMemory, storeTransfer],
  ...[eventStreamer, catchUp, liveLatency, appendWithSubscriber, consumerGroups],
  sagaThroughput,
  readModels,
  observabilityOverhead,
  inspectorOverview,
  ...[httpUsers, httpOrders],
  peerComparison,
];
/** Workloads that do not run on the item-1 stores (so do not need PostgreSQL). */
const OFF_STORES = new Set<Workload>([pythonShapes, readAllMemory, eventStreamer]);
const STORE_KINDS = ['sqlite-full', 'sqlite-normal', 'postgres'] as const;

const list = (value: string | undefined): string[] | null =>
  value === undefined ? null : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

function parseCli(): { quick: boolean; only: string[] | null; stores: string[] | null } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      stores: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--quick] [--only 1a,1b,…|name,…] [--stores sqlite-full,sqlite-normal,postgres]\n' +
        `workloads: ${WORKLOADS.map((w) => `${w.ids.join('/')} ${w.name}`).join(', ')}`,
    );
    process.exit(0);
  }
  const only = list(values.only);
  const stores = list(values.stores);
  for (const name of only ?? []) {
    if (!WORKLOADS.some((w) => w.name === name || w.ids.includes(name))) throw new Error(`--only: unknown workload ${name}`);
  }
  for (const name of stores ?? []) {
    if (!(STORE_KINDS as readonly string[]).includes(name)) throw new Error(`--stores: unknown store ${name}`);
  }
  return { quick: values.quick, only, stores };
}

async function main(): Promise<void> {
  const cli = parseCli();
  const settings = cli.quick ? QUICK : FULL;
  const selected = WORKLOADS.filter((w) => !cli.only || cli.only.some((name) => w.name === name || w.ids.includes(name)));
  const wantedStores = cli.stores ?? [...STORE_KINDS];
  const begin = performance.now();
  const startLoad = loadavg()[0] ?? 0;
  const log = (line: string): void => console.log(line);
  log(`eventuali bench, ${settings.mode} mode: ${selected.map((w) => w.ids.join('/')).join(', ')}`);

  let server: PostgresServer | undefined;
  process.on('SIGINT', () => process.exit(130)); // runs the exit hooks (the embedded server's cleanup)
  try {
    let postgres: Target | undefined;
    if (wantedStores.includes('postgres') && selected.some((w) => !OFF_STORES.has(w))) {
      try {
        server = await startPostgres(log);
        postgres = postgresTarget(server);
      } catch (error) {
        log(`PostgreSQL unavailable: ${error instanceof Error ? error.message : String(error)}`);
        postgres = postgresTarget(error instanceof Error ? error : new Error(String(error)));
      }
    }
    const stores: Target[] = [
      ...(wantedStores.includes('sqlite-full') ? [sqliteFileTarget('full')] : []),
      ...(wantedStores.includes('sqlite-normal') ? [sqliteFileTarget('normal')] : []),
      ...(postgres ? [postgres] : []),
    ];
    const ctx: BenchContext = {
      settings,
      stores,
      memoryStore: sqliteMemoryTarget(),
      contenders: [
        { name: 'eventuali', open: eventuali },
        { name: 'raw', open: raw, isFloor: true },
      ],
      log,
    };

    const sections: Section[] = [];
    for (const workload of selected) {
      const started = performance.now();
      log(`\n[${workload.ids.join('/')}] ${workload.name}`);
      const section = await workload.run(ctx);
      sections.push(section);
      log(`[${workload.ids.join('/')}] done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }

    const seconds = (performance.now() - begin) / 1000;
    log('');
    for (const section of sections) log(`${textTable(section)}\n`);
    for (const line of summaryLines(sections)) log(line);

    const machine = describeMachine(server ? `${server.version}, ${server.origin}` : 'not used', emmettVersions());
    const partial = cli.quick || cli.only !== null || cli.stores !== null;
    const dir = fileURLToPath(new URL(partial ? './.out/' : './', import.meta.url));
    const written = writeReport(
      dir,
      machine,
      {
        date: new Date().toISOString(),
        mode: settings.mode,
        only: cli.only,
        stores: cli.stores,
        seconds,
        postgres: server ? `${server.origin === 'embedded' ? 'embedded server, default durability' : 'DATABASE_URL'}` : 'not used',
        loadAverage: { start: startLoad, end: loadavg()[0] ?? 0 },
        command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      },
      sections,
    );
    log(`\nwrote ${written.markdown} and ${written.json} (${Math.round(seconds)} s)`);
  } finally {
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
