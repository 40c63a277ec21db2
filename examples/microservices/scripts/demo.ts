import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCALED_SERVICES, SERVICES, instancesFromEnv, type ServiceName } from '../shared/config.js';
import { freePort } from './free-port.js';
import { runJourney } from './journey.js';
import { ServiceLauncher } from './launcher.js';
import { printTrace } from './print-trace.js';

/**
 * `npm run demo`: starts every service as its own process on free ports, over a fresh SQLite file
 * in a temporary folder, runs the guide's journey through the gateway, stops everything
 * gracefully, and exits 0 (1 if a step failed). Before stopping, it prints the trace of the
 * confirmed order, gathered from the services (they keep their recent spans in memory: `RECENT_SPANS`).
 * `DEMO_DATABASE_URL=postgresql://…` runs it on
 * PostgreSQL instead; `DEMO_KEEP=1` keeps the temporary folder (store and logs);
 * `EVENTUALI_INSTANCES=2` runs two instances of the order and of the notification service.
 */
async function main(): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'eventuali-demo-'));
  const databaseUrl = process.env['DEMO_DATABASE_URL'];
  const keep = process.env['DEMO_KEEP'] === '1';
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const instances = instancesFromEnv();
  const extraInstances = instances === 2 ? Object.fromEntries(await Promise.all(SCALED_SERVICES.map(async (s) => [s, [await freePort()]] as const))) : {};
  console.log('Eventuali microservices demo');
  console.log(`   store: ${databaseUrl ? 'PostgreSQL (DEMO_DATABASE_URL)' : `SQLite file ${join(dir, 'events.db')}`}`);
  console.log(`   logs:  ${dir}/<service>.log`);
  const launcher = ServiceLauncher.start({
    ports,
    env: {
      EVENTUALI_SQLITE_PATH: join(dir, 'events.db'),
      DATABASE_URL: databaseUrl ?? '',
      PAYMENT_FAIL_CUSTOMERS: '',
      LOG_LEVEL: 'info',
      RECENT_SPANS: '20000',
    },
    output: { logDir: dir },
    extraInstances,
  });
  let failed = false;
  try {
    console.log(`   starting ${SERVICES.join(', ')} (${instances === 2 ? `two processes each for ${SCALED_SERVICES.join(' and ')}` : 'one process each'})…`);
    await launcher.waitUntilReady(60_000);
    console.log(`   all ready after ${((Date.now() - started) / 1000).toFixed(1)} s; gateway at ${launcher.url('gateway')}`);
    const outcome = await runJourney(launcher.url('gateway'));
    await printTrace(SERVICES.flatMap((s) => launcher.urls(s)), outcome);
  } catch (error) {
    failed = true;
    console.error(`\nDEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`   service logs are kept in ${dir}`);
  }
  console.log('\nStopping the services (SIGTERM, callers first)…');
  const codes = await launcher.stop();
  const unclean = Object.entries(codes).filter(([, code]) => code !== 0);
  console.log(`   ${Object.entries(codes).map(([name, code]) => `${name} exited ${String(code)}`).join(', ')}`);
  if (unclean.length > 0) {
    failed = true;
    console.error(`   not a clean shutdown: ${unclean.map(([name]) => name).join(', ')} (logs in ${dir})`);
  }
  if (!failed && !keep) rmSync(dir, { recursive: true, force: true });
  else if (keep) console.log(`   kept the store and the logs in ${dir}`);
  console.log(failed ? '\nDemo failed.' : `\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
