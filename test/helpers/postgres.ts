import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** URL of the shared test server (see test/setup/global-postgres.ts). */
export function postgresUrl(): string {
  const url = inject('postgresUrl');
  if (typeof url !== 'string' || url === '') {
    throw new Error('postgresUrl was not provided: is test/setup/global-postgres.ts in globalSetup?');
  }
  return url;
}

/** Lowercase identifier `<prefix>_<random>`, max 63 chars (PostgreSQL's limit). */
function uniqueIdentifier(prefix: string): string {
  let clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z_]/.test(clean)) clean = `_${clean}`;
  const suffix = randomBytes(6).toString('hex');
  return `${clean.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/** A valid, lowercase schema name unique per call, e.g. `s_events_1a2b3c4d5e6f`. */
export function uniqueSchemaName(prefix: string): string {
  return uniqueIdentifier(`s_${prefix}`);
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const DROP_GRACE_MS = 1_000;

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /**
   * Drops the database. Waits up to 1 s for open sessions to close, then
   * terminates the rest (their clients get error 57P01: attach an 'error' handler).
   */
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database (`t_<prefix>_<random>`) on the test server. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueIdentifier(`t_${prefix}`);
  await withAdminClient((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(async (client) => {
        // pg's Pool#end() resolves before its connections are closed; killing
        // those mid-goodbye surfaces as an uncaught 57P01 error in the test
        // process. So give sessions a moment to leave on their own first.
        const deadline = Date.now() + DROP_GRACE_MS;
        while (Date.now() < deadline) {
          const { rows } = await client.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        // WITH (FORCE) (PG >= 13) then kills what is left, e.g. a leaked pool.
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
