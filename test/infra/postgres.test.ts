import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresUrl, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';

describe('test PostgreSQL server', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('infra');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('is reachable through a freshly created database', async () => {
    expect(postgresUrl()).toMatch(/^postgres(ql)?:\/\//);
    const { rows } = await client.query<{ version: string; db: string }>(
      'select version() as version, current_database() as db',
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(db.url.endsWith(`/${rows[0]?.db}`)).toBe(true);
  });

  it('supports xid8 / pg_current_xact_id (PostgreSQL >= 13)', async () => {
    const { rows } = await client.query<{ xid: string }>('select pg_current_xact_id()::text as xid');
    expect(BigInt(rows[0]?.xid ?? '0')).toBeGreaterThan(0n);
  });

  it('creates schemas with unique valid names', async () => {
    const a = uniqueSchemaName('My-Tests!');
    const b = uniqueSchemaName('My-Tests!');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z_][a-z0-9_]{0,62}$/);
    await client.query(`create schema ${client.escapeIdentifier(a)}`);
    await client.query(`create table ${client.escapeIdentifier(a)}.t (id int)`);
  });

  it('drop() removes the database even with open connections', async () => {
    const other = await createTestDatabase('infra drop');
    const open = new pg.Client({ connectionString: other.url });
    open.on('error', () => undefined); // the forced drop terminates this session
    await open.connect();
    await other.drop();
    const name = new URL(other.url).pathname.slice(1);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    expect(rowCount).toBe(0);
    await open.end().catch(() => undefined);
  });
});
