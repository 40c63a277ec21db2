import { SERVICE_NAMES, hostFromEnv, portFromEnv, type ServiceName } from './config.js';
import type { HttpService } from './service-kit.js';
import { startTelemetry } from './telemetry.js';

const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Runs a service as a process: sets up OpenTelemetry from the environment (see startTelemetry),
 * listens on its port from the environment, and on SIGINT or SIGTERM shuts down gracefully
 * (in-flight requests finish, subscriptions and sagas stop, the store closes, buffered spans are
 * exported), then exits 0. A second Ctrl-C, or a shutdown slower than 15 s, exits at once with 1.
 */
export async function runService(name: ServiceName, create: () => Promise<HttpService>): Promise<void> {
  let service: HttpService;
  const telemetry = startTelemetry(SERVICE_NAMES[name]);
  try {
    service = await create();
    await service.app.listen({ port: portFromEnv(name), host: hostFromEnv() });
  } catch (error) {
    console.error(`${name} service failed to start:`, error);
    process.exit(1);
  }
  const log = service.app.log;
  let stopping = false;
  // #region shutdown
  const shutdown = (signal: NodeJS.Signals | 'parent exit') => {
    if (stopping) {
      if (signal !== 'SIGINT') return;
      log.warn({ signal }, 'second Ctrl-C: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    service.close().then(
      async () => {
        await telemetry?.shutdown();
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // #endregion
  if (process.env['EXIT_WITH_PARENT'] === '1') {
    // Started by scripts/launcher.ts: stdin is a pipe from the launcher, closed when it exits.
    // Our stdout (the launcher's pipe) is gone too: stop logging, or pino's exit-time flush would
    // retry the failing write forever (sonic-boom's flushSync retries EPIPE).
    process.stdin.on('end', () => {
      log.level = 'silent';
      shutdown('parent exit');
    });
    process.stdin.resume();
  }
}
