// #region store-url
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// #elide … SERVICES, ports and URLs of each service

/** The services of the system; the gateway routes to the first four. */
export const SERVICES = ['user', 'order', 'inventory', 'notification', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  user: 8001,
  order: 8002,
  inventory: 8003,
  notification: 8004,
  gateway: 8080,
};

/** The name each service reports in its logs, metrics and traces (OpenTelemetry's `service.name`). */
export const SERVICE_NAMES: Readonly<Record<ServiceName, string>> = {
  user: 'user-service',
  order: 'order-service',
  inventory: 'inventory-service',
  notification: 'notification-service',
  gateway: 'api-gateway',
};

/** The environment variable holding each service's port. */
export const PORT_ENV: Readonly<Record<ServiceName, string>> = {
  user: 'USER_SERVICE_PORT',
  order: 'ORDER_SERVICE_PORT',
  inventory: 'INVENTORY_SERVICE_PORT',
  notification: 'NOTIFICATION_SERVICE_PORT',
  gateway: 'GATEWAY_PORT',
};

/** The environment variable holding each service's base URL, for callers on other hosts (docker). */
export const URL_ENV: Readonly<Record<ServiceName, string>> = {
  user: 'USER_SERVICE_URL',
  order: 'ORDER_SERVICE_URL',
  inventory: 'INVENTORY_SERVICE_URL',
  notification: 'NOTIFICATION_SERVICE_URL',
  gateway: 'GATEWAY_URL',
};

// #endelide
type Env = Readonly<Record<string, string | undefined>>;
// #elide … portFromEnv(), hostFromEnv() and the other settings

/** The service's port: its `*_PORT` variable, else the default. Throws on a value that is not a port. */
export function portFromEnv(service: ServiceName, env: Env = process.env): number {
  const raw = env[PORT_ENV[service]];
  if (raw === undefined || raw === '') return DEFAULT_PORTS[service];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${PORT_ENV[service]} must be a TCP port (0-65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

/** Where to reach a service: its `*_URL` variable, else localhost on its port. */
export function serviceUrlFromEnv(service: ServiceName, env: Env = process.env): string {
  const url = env[URL_ENV[service]]?.split(',')[0]?.trim();
  if (url !== undefined && url !== '') return url.replace(/\/+$/, '');
  return `http://127.0.0.1:${portFromEnv(service, env)}`;
}

/**
 * Every instance of a service, for the gateway: its `*_URL` variable may list several base URLs,
 * comma-separated (two instances of one service); else the one from `serviceUrlFromEnv`.
 */
export function serviceUrlsFromEnv(service: ServiceName, env: Env = process.env): string[] {
  const urls = (env[URL_ENV[service]] ?? '').split(',').map((url) => url.trim().replace(/\/+$/, '')).filter((url) => url !== '');
  return urls.length > 0 ? urls : [serviceUrlFromEnv(service, env)];
}

/** The services `EVENTUALI_INSTANCES` multiplies: the stateless order and notification services. */
export const SCALED_SERVICES: readonly ServiceName[] = ['order', 'notification'];

/** How many instances of the order and notification services to run (`EVENTUALI_INSTANCES`, 1 or 2; default 1). */
export function instancesFromEnv(env: Env = process.env): 1 | 2 {
  const raw = env['EVENTUALI_INSTANCES'];
  if (raw === undefined || raw === '' || raw === '1') return 1;
  if (raw === '2') return 2;
  throw new Error(`EVENTUALI_INSTANCES must be 1 or 2, got ${JSON.stringify(raw)}`);
}

/** A duration in milliseconds from the environment variable `name`, else `fallback`. Throws on a value below `min` or not a whole number. */
export function millisecondsFromEnv(name: string, limits: { fallback: number; min?: number }, env: Env = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return limits.fallback;
  const ms = Number(raw);
  const min = limits.min ?? 0;
  if (!Number.isInteger(ms) || ms < min) throw new Error(`${name} must be a whole number of milliseconds, at least ${min}; got ${JSON.stringify(raw)}`);
  return ms;
}

/** The interface to listen on (`HOST`, default all interfaces, as in a container). */
export function hostFromEnv(env: Env = process.env): string {
  return env['HOST'] || '0.0.0.0';
}

// #endelide
/** The default SQLite file shared by the services: `examples/microservices/data/eventuali.db`. */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL('../data/eventuali.db', import.meta.url));

/**
 * The event store every service opens: `DATABASE_URL` (postgresql://…) when set, else the SQLite
 * file at `EVENTUALI_SQLITE_PATH` (default `examples/microservices/data/eventuali.db`).
 */
export function storeUrlFromEnv(env: Env = process.env): string {
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl !== undefined && databaseUrl !== '') return databaseUrl;
  const path = resolve(env['EVENTUALI_SQLITE_PATH'] || DEFAULT_SQLITE_PATH);
  return `sqlite://${encodeURI(path)}`;
}
// #endregion

/** The store URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.startsWith('sqlite:') ? url : '<unparseable url>';
  }
}
