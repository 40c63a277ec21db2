import { InvalidArgumentError, MissingDriverError } from '../../core/errors.js';
import { checkIdentifier, checkPositiveInteger } from '../../core/checks.js';
import type { PostgresStoreOptions } from './postgres-options.js';
import { DEFAULT_SCHEMA, migrateSchema, PostgresAdapter, type PostgresAdapterInit } from './postgres-adapter.js';
import { classifyPostgresError, connectionFailure } from './postgres-errors.js';
import type { PostgresClientConstructor, PostgresPoolConstructor } from './postgres-types.js';

const DEFAULT_POOL_SIZE = 10;

interface Driver {
  Pool: PostgresPoolConstructor;
  Client: PostgresClientConstructor;
}

/** pg's Pool and Client, or MissingDriverError when the package is not installed. */
export async function loadPostgresDriver(): Promise<Driver> {
  let module: Partial<Driver> & { default?: Partial<Driver> };
  try {
    module = await import('pg');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingDriverError('pg', { cause: error });
    throw error;
  }
  const Pool = module.Pool ?? module.default?.Pool;
  const Client = module.Client ?? module.default?.Client;
  if (!Pool || !Client) throw new MissingDriverError('pg');
  return { Pool, Client };
}

/**
 * Connects once with a client of its own, so that whatever stops a connection (no server, unknown
 * host, authentication, TLS) is a ConnectionError saying what to fix. Ended either way: pg's pool
 * leaves the socket of a connection that failed on the client's side (a missing password) open
 * until the server's authentication_timeout.
 */
async function checkConnection(Client: PostgresClientConstructor, connectionString: string, secret: string | undefined): Promise<void> {
  const client = new Client({ connectionString });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw connectionFailure(error, secret);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL's password, to keep it out of error messages. */
export function passwordOf(connectionString: string): string | undefined {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    // Never repeat the URL: it may hold a password.
    throw new InvalidArgumentError('connection string', 'the PostgreSQL URL does not parse');
  }
  if (url.password === '') return undefined;
  try {
    return decodeURIComponent(url.password);
  } catch {
    return url.password;
  }
}

/**
 * Opens a pool of `poolSize` connections (default 10) from a `postgresql://` URL and the adapter
 * over it, creating the schema's tables (or applying the migrations they lack). `close()` ends the
 * pool. Failures to connect or authenticate throw `ConnectionError`, whose message says what to fix
 * and never holds the password.
 *
 * @example
 * const adapter = await openPostgresAdapter('postgresql://app:secret@localhost:5432/app', { schema: 'orders' });
 * const store = new EventStore(adapter);
 */
export async function openPostgresAdapter(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresAdapter> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  checkIdentifier('schema', schema);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  checkPositiveInteger('poolSize', poolSize);
  const secret = passwordOf(connectionString);
  const { Pool, Client } = await loadPostgresDriver();
  await checkConnection(Client, connectionString, secret);
  const pool = new Pool({ connectionString, max: poolSize });
  // An idle connection the server closes (a restart, pg_terminate_backend, a proxy's timeout)
  // emits 'error' on the pool, which would crash the process unheard. The pool has already
  // dropped that connection and opens a new one when needed.
  const warn = options.onWarning;
  pool.on('error', (error) => warn?.('an idle PostgreSQL connection failed', classifyPostgresError(error, secret)));
  const init: PostgresAdapterInit = { pool, schema, ownsPool: true, secret, onWarning: warn };
  const adapter = new PostgresAdapter(init);
  try {
    await migrateSchema(init);
  } catch (error) {
    await adapter.close().catch(() => undefined);
    throw error;
  }
  return adapter;
}
