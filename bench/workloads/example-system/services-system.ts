/**
 * The microservices example (examples/microservices) as the demo runs it: each service its own
 * process (`node --import tsx <service>/main.ts`, through the example's launcher) on free ports,
 * over a bench database (a SQLite file, or a database on the bench's PostgreSQL server).
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICES, type ServiceName } from '../../../examples/microservices/shared/config.js';
import { freePort } from '../../../examples/microservices/scripts/free-port.js';
import { ServiceLauncher } from '../../../examples/microservices/scripts/launcher.js';
import { describeError, type ResultRow } from '../../lib/results.js';
import type { BenchDatabase, Target } from '../../lib/targets.js';

/** Connections autocannon keeps busy in the HTTP workloads. */
export const CONNECTIONS = 32;

/** The services' log level during the bench: warnings and errors only, no line per request. */
export const SERVICES_LOG_LEVEL = 'warn';

export interface RunningServices {
  url(service: ServiceName): string;
  /** Stops every service (SIGTERM, callers first); throws if one did not exit cleanly. */
  stop(): Promise<void>;
}

export async function startServices(db: BenchDatabase): Promise<RunningServices> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-bench-services-'));
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const))) as Record<ServiceName, number>;
  const { location } = db;
  const launcher = ServiceLauncher.start({
    ports,
    env: {
      DATABASE_URL: location.kind === 'postgres' ? location.connectionString : '',
      EVENTUALI_SQLITE_PATH: location.kind === 'sqlite' ? location.filename : '',
      PAYMENT_FAIL_CUSTOMERS: '',
      PAYMENT_LATENCY_MS: '',
      LOG_LEVEL: SERVICES_LOG_LEVEL,
    },
    output: { logDir },
  });
  const stop = async (): Promise<void> => {
    const codes = await launcher.stop();
    const unclean = Object.entries(codes).filter(([, code]) => code !== 0);
    if (unclean.length > 0) throw new Error(`services did not stop cleanly (${unclean.map(([s, c]) => `${s} ${String(c)}`).join(', ')}); logs in ${logDir}`);
    fs.rmSync(logDir, { recursive: true, force: true });
  };
  try {
    await launcher.waitUntilReady(60_000);
  } catch (error) {
    await launcher.stop();
    throw error;
  }
  return { url: (service) => launcher.url(service), stop };
}

/** A JSON POST through the gateway; throws unless the status is 2xx. */
export async function postJson<T>(baseUrl: string, urlPath: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${urlPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${urlPath} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/**
 * autocannon keeping CONNECTIONS connections busy with JSON POSTs to `urlPath` through the gateway
 * at `baseUrl`, for a `duration` in seconds or an `amount` of requests: `body(i)` is the i-th
 * request's body (i from 0), `onResponse` sees every answer.
 */
export function postLoad(
  baseUrl: string,
  urlPath: string,
  limit: { duration: number } | { amount: number },
  timeoutSeconds: number,
  body: (i: number) => unknown,
  onResponse?: (status: number, body: string) => void,
): Promise<autocannon.Result> {
  let n = 0;
  const request: autocannon.Request = {
    method: 'POST',
    path: urlPath,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify(body(n++)) }),
  };
  if (onResponse) request.onResponse = onResponse;
  return autocannon({ url: baseUrl, connections: CONNECTIONS, ...limit, timeout: timeoutSeconds, requests: [request] });
}

/**
 * Starts the example system on a fresh database of `target`, gives `measure` the gateway's URL,
 * then stops the services and drops the database. What goes wrong becomes a note of `row`.
 */
export async function onServices(target: Target, tag: string, row: ResultRow, measure: (gatewayUrl: string) => Promise<void>): Promise<void> {
  let db: BenchDatabase | undefined;
  let services: RunningServices | undefined;
  try {
    db = await target.fresh(tag);
    services = await startServices(db);
    await measure(services.url('gateway'));
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    try {
      await services?.stop();
    } catch (error) {
      row.notes.push(describeError(error));
    }
    await db?.dispose();
  }
}
