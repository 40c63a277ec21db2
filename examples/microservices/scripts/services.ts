import { SCALED_SERVICES, SERVICES, instancesFromEnv, portFromEnv, redactUrl, storeUrlFromEnv, type ServiceName } from '../shared/config.js';
import { ServiceLauncher } from './launcher.js';

/**
 * `npm run services`: starts every service as its own process, on the ports from the environment
 * (defaults 8001-8004, gateway 8080), over the SQLite file in examples/microservices/data (or
 * `EVENTUALI_SQLITE_PATH`, or PostgreSQL with `DATABASE_URL`), and stays in the foreground with
 * their logs until Ctrl-C or SIGTERM; then stops each service gracefully and exits.
 * `EVENTUALI_INSTANCES=2` runs a second instance of the order and of the notification service, on
 * their port + 10 (8012, 8014): the gateway sends their requests to each in turn.
 */
async function main(): Promise<number> {
  const ports = Object.fromEntries(SERVICES.map((s) => [s, portFromEnv(s)])) as Record<ServiceName, number>;
  const instances = instancesFromEnv();
  const extraInstances = instances === 2 ? Object.fromEntries(SCALED_SERVICES.map((s) => [s, [ports[s] + 10]])) : {};
  const launcher = ServiceLauncher.start({ ports, env: {}, output: 'prefixed', extraInstances });
  let stopping: Promise<number> | undefined;
  const stop = (reason: string, code: number): Promise<number> =>
    (stopping ??= (async () => {
      console.log(`\n${reason}: stopping the services (callers first)…`);
      const codes = await launcher.stop();
      console.log(`stopped: ${Object.entries(codes).map(([name, c]) => `${name} exited ${String(c)}`).join(', ')}`);
      return Object.values(codes).every((c) => c === 0) ? code : 1;
    })());
  let crashed = false;
  // A service that dies stays down (the gateway answers 503 for it) until you restart everything.
  launcher.onUnexpectedExit((name, code) => {
    crashed = true;
    console.error(`\n${name} service exited unexpectedly (code ${String(code)}); the others keep running.`);
  });
  const signalled = new Promise<number>((resolve) => {
    // `on`, not `once`: npm and tsx pass a Ctrl-C on again, and tsx exits a process that has no listener left.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => resolve(stop(signal, crashed ? 1 : 0)));
  });
  try {
    await launcher.waitUntilReady(60_000);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return stop('startup failed', 1);
  }
  console.log(`
All services are ready (store: ${redactUrl(storeUrlFromEnv())}).
  API gateway           http://localhost:${ports.gateway}   (GET /health, /api/users, /api/orders, /api/inventory, /api/notifications)
  User service          http://localhost:${ports.user}
  Order service         ${launcher.urls('order').join('  ')}
  Inventory service     http://localhost:${ports.inventory}
  Notification service  ${launcher.urls('notification').join('  ')}
Each serves /health, /health/ready, /health/live and /metrics. Ctrl-C stops everything.
`);
  return signalled;
}

process.exitCode = await main();
