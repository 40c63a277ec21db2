/**
 * The bench's PostgreSQL: `DATABASE_URL` when set, else an embedded server started in a folder
 * under the OS temp dir and stopped (folder deleted) at the end. Unlike the test server, it keeps
 * PostgreSQL's default durability (fsync on, synchronous_commit on, full_page_writes on): a
 * benchmark of commits must pay for them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';

export interface PostgresServer {
  /** Admin connection URL (database `postgres` on the embedded server). */
  readonly url: string;
  /** `SHOW server_version`. */
  readonly version: string;
  /** Where it came from: `embedded` or `DATABASE_URL`. */
  readonly origin: 'embedded' | 'DATABASE_URL';
  /** Creates an empty database; `drop()` removes it. */
  createDatabase(tag: string): Promise<{ connectionString: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function databaseFactory(adminUrl: string): PostgresServer['createDatabase'] {
  let counter = 0;
  return async (tag) => {
    const clean = tag.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
    const name = `bench_${clean}_${++counter}_${randomBytes(3).toString('hex')}`;
    await query(adminUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      connectionString: url.toString(),
      drop: async () => {
        await query(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  };
}

export async function startPostgres(log: (line: string) => void): Promise<PostgresServer> {
  const external = process.env['DATABASE_URL'];
  if (external !== undefined && external !== '') {
    const [row] = await query<{ server_version: string }>(external, 'SHOW server_version');
    log(`PostgreSQL from DATABASE_URL (${row?.server_version ?? '?'})`);
    return {
      url: external,
      version: row?.server_version ?? 'unknown',
      origin: 'DATABASE_URL',
      createDatabase: databaseFactory(external),
      stop: async () => {},
    };
  }

  const started = Date.now();
  // Only connection settings: durability and memory settings stay the server's defaults.
  const server = await startEmbeddedPostgres({ dirPrefix: 'eventuali-bench-pg-' });
  const url = server.url;
  const port = server.port;
  const settings = await query<{ name: string; setting: string }>(
    url,
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version')",
  );
  const setting = (name: string): string => settings.find((s) => s.name === name)?.setting ?? '?';
  log(
    `embedded PostgreSQL ${setting('server_version')} on 127.0.0.1:${port} in ${Date.now() - started} ms ` +
      `(fsync=${setting('fsync')}, synchronous_commit=${setting('synchronous_commit')}, full_page_writes=${setting('full_page_writes')})`,
  );
  return {
    url,
    version: setting('server_version'),
    origin: 'embedded',
    createDatabase: databaseFactory(url),
    stop: () => server.destroy(),
  };
}
