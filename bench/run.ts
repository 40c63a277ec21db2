/**
 * `npm run bench`: eventuali against the raw driver doing the same SQL work, on SQLite (FULL and
 * NORMAL) and PostgreSQL, plus the Python original's published shapes, readAll memory and the
 * streamer. Prints the tables and writes bench/RESULTS.md and bench/results.json.
 *
 *   npm run bench                         full run (about 5 minutes on 2 cores)
 *   npm run bench -- --quick              fewer, shorter rounds (under 2 minutes)
 *   npm run bench -- --only 1a,load       some workloads: 1a 1b 1c 1d 2 3 4, or
 *                                         save-one save-batch load snapshots python-shapes memory streamer
 *   npm run bench -- --only peers         eventuali against Emmett and the raw driver (issue #5); installs
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
import { raw } from './contenders/raw.js';
import { eventuali } from './contenders/eventuali.js';
import { textTable, summaryLines } from './lib/format.js';
import { describeMachine } from './lib/machine.js';
import { startPostgres, type PostgresServer } from './lib/postgres-server.js';
import { writeReport } from './lib/report.js';
import type { Section } from './lib/results.js';
import { FULL, QUICK } from './lib/settings.js';
import { postgresTarget, sqliteFileTarget, sqliteMemoryTarget, type Target } from './lib/targets.js';
import { deciderHandle } from './workloads/decider-handle.js';
import { eventStreamer } from './workloads/event-streamer.js';
import { loadSnapshot } from './workloads/load-snapshot.js';
import { loadStream } from './workloads/load-stream.js';
import { emmettVersions, peerComparison } from './workloads/peer-comparison.js';
import { pythonShapes } from './workloads/python-shapes.js';
import { readAllMemory } from './workloads/read-all-memory.js';
import { saveBatch } from './workloads/save-batch.js';
import { saveOne } from './workloads/save-one.js';
import { HTTP_SERVICE_WORKLOADS } from './workloads/http-services.js';
import { STREAMING_AND_SAGA_WORKLOADS } from './workloads/streaming-and-sagas.js';
import type { BenchContext, Workload } from './workloads/workload.js';

const WORKLOADS: readonly Workload[] = [saveOne, saveBatch, loadStream, loadSnapshot, deciderHandle, pythonShapes, readAllMemory, eventStreamer, ...STREAMING_AND_SAGA_WORKLOADS, ...HTTP_SERVICE_WORKLOADS, peerComparison];
/** Workloads that run on the item-1 stores (and so need PostgreSQL). */
const ON_STORES = new Set<Workload>([saveOne, saveBatch, loadStream, loadSnapshot, deciderHandle, ...STREAMING_AND_SAGA_WORKLOADS, ...HTTP_SERVICE_WORKLOADS, peerComparison]);
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
    if (wantedStores.includes('postgres') && selected.some((w) => ON_STORES.has(w))) {
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
