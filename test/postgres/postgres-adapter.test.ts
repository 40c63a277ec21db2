import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, EventStore, StoreClosedError } from '../../src/index.js';
import { createPostgresAdapter, openPostgresAdapter, type PostgresAdapter } from '../../src/postgres.js';
import { migrate, POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';
import { batch, freePort } from './postgres-fixtures.js';

let db: TestDatabase;
let admin: pg.Pool;
let adapter: PostgresAdapter;
const schema = uniqueSchemaName('adapter');

beforeAll(async () => {
  db = await createTestDatabase('pg_adapter');
  admin = new pg.Pool({ connectionString: db.url, max: 4 });
  admin.on('error', () => undefined);
  adapter = await openPostgresAdapter(db.url, { schema });
});

afterAll(async () => {
  await adapter?.close();
  await admin?.end();
  await db?.drop();
});

describe('PostgreSQL adapter: schema and migrations', () => {
  it('applies each migration once when several adapters open a new schema at the same time', async () => {
    const fresh = uniqueSchemaName('race');
    const adapters = await Promise.all(Array.from({ length: 4 }, () => openPostgresAdapter(db.url, { schema: fresh, poolSize: 2 })));
    try {
      const { rows } = await admin.query<{ version: number }>(`SELECT version FROM "${fresh}".migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      const [first] = await (adapters[0] as PostgresAdapter).append(batch('race-1', 'no-stream'));
      expect(first?.aggregateVersion).toBe(1);
    } finally {
      await Promise.all(adapters.map((a) => a.close()));
    }
  });

  it('applies a later migration once, beside the applied ones', async () => {
    const fresh = uniqueSchemaName('later');
    const later = [
      ...POSTGRES_MIGRATIONS,
      { version: 99, name: 'test table', sql: (s: string) => `CREATE TABLE ${s}.later_table (id int PRIMARY KEY)` },
    ];
    await migrate(admin, fresh);
    await Promise.all([migrate(admin, fresh, later), migrate(admin, fresh, later), migrate(admin, fresh, later)]);
    const { rows } = await admin.query<{ version: number }>(`SELECT version FROM "${fresh}".migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual([...POSTGRES_MIGRATIONS.map((m) => m.version), 99]);
    await admin.query(`SELECT id FROM "${fresh}".later_table`);
  });

  it('rejects schema names that are not plain lowercase identifiers, creating nothing', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pool.on('error', () => undefined);
    try {
      for (const bad of ['x; drop table', 'x"; DROP SCHEMA public; --', 'Upper', '1st', '', 'a'.repeat(64), 'a-b']) {
        await expect(openPostgresAdapter(db.url, { schema: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(createPostgresAdapter(pool, { schema: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(EventStore.create(db.url, { schema: bad })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
      const { rows } = await admin.query(`SELECT nspname FROM pg_namespace WHERE nspname ~ '[^a-z0-9_]'`);
      expect(rows).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});

describe('PostgreSQL adapter: connections', () => {
  it('reports a wrong password or an unreachable server as ConnectionError, never showing the password', async () => {
    const secret = `S3cret-${randomBytes(8).toString('hex')}`;
    const wrongPassword = new URL(db.url);
    wrongPassword.password = secret;
    const unreachable = `postgresql://postgres:${secret}@127.0.0.1:${await freePort()}/nowhere`;
    const attempts = [
      () => openPostgresAdapter(wrongPassword.toString(), { schema }),
      () => EventStore.create(wrongPassword.toString(), { schema }),
      () => openPostgresAdapter(unreachable),
      () => EventStore.create(unreachable),
    ];
    for (const attempt of attempts) {
      const error: unknown = await attempt().then(
        () => expect.fail('connected'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ code: 'CONNECTION' });
      expect((error as ConnectionError).cause).toBeDefined();
      const views = [String(error), (error as Error).stack, JSON.stringify(error), inspect(error, { depth: 10 })];
      for (const view of views) expect(view).not.toContain(secret);
    }
  });

  // The embedded test server asks for a password (SCRAM); a DATABASE_URL server may trust everyone.
  it.skipIf(Boolean(process.env['DATABASE_URL']))('reports a URL without a password as ConnectionError saying so', async () => {
    const noPassword = new URL(db.url);
    noPassword.password = '';
    const emptyPassword = `${noPassword.protocol}//${noPassword.username}:@${noPassword.host}${noPassword.pathname}`;
    const nobody = new URL(noPassword);
    nobody.username = 'nobody';
    for (const url of [noPassword.toString(), emptyPassword, nobody.toString()]) {
      for (const open of [() => openPostgresAdapter(url, { schema }), () => EventStore.create(url, { schema })]) {
        const error: unknown = await open().then(
          () => expect.fail('connected'),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConnectionError);
        expect(error).toMatchObject({ code: 'CONNECTION', message: expect.stringContaining('the URL has no password') });
        expect((error as ConnectionError).cause).toBeInstanceOf(Error);
      }
    }
  });

  it('survives the server terminating its idle connections and connects again', async () => {
    const name = `eventuali_idle_${randomBytes(4).toString('hex')}`;
    const warnings: unknown[] = [];
    const url = `${db.url}?application_name=${name}`;
    const own = await openPostgresAdapter(url, { schema, poolSize: 3, onWarning: (_message, error) => warnings.push(error) });
    try {
      await Promise.all([own.globalPosition(), own.globalPosition(), own.globalPosition()]);
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(rowCount).toBeGreaterThan(0);
      // Each idle connection reports its end through the pool's 'error' event, which must not crash the process.
      while (warnings.length < (rowCount ?? 0)) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const warning of warnings) expect(warning).toBeInstanceOf(ConnectionError);
      const [stored] = await own.append(batch(`idle-${randomUUID()}`, 'no-stream'));
      expect(stored?.aggregateVersion).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('fails a transaction whose connection the server ends with ConnectionError, and goes on', async () => {
    const name = `eventuali_tx_${randomBytes(4).toString('hex')}`;
    const own = await openPostgresAdapter(`${db.url}?application_name=${name}`, { schema, poolSize: 2 });
    try {
      const id = `killed-${randomUUID()}`;
      const failed = own.transaction(async (session) => {
        await session.append(batch(id, 'no-stream'));
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
        await session.streamInfo(id);
      });
      await expect(failed).rejects.toBeInstanceOf(ConnectionError);
      expect(await own.streamInfo(id)).toBeNull();
      await own.append(batch(id, 'no-stream'));
      expect(await own.streamInfo(id)).toMatchObject({ version: 1 });
    } finally {
      await own.close();
    }
  });

  it('leaves a pool it was given open on close, and refuses calls after close', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const mine = await createPostgresAdapter(pool, { schema });
      const id = `pool-${randomUUID()}`;
      await mine.append(batch(id, 'no-stream'));
      expect(await mine.streamInfo(id)).toEqual({ version: 1, aggregateType: 'Note' });
      await mine.close();
      await mine.close();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]?.one).toBe(1);
      await expect(mine.readAll({ after: 0n, limit: 1 })).rejects.toBeInstanceOf(StoreClosedError);
      await expect(mine.append(batch(id, 1))).rejects.toBeInstanceOf(StoreClosedError);
      await expect(mine.transaction(async () => 1)).rejects.toBeInstanceOf(StoreClosedError);
    } finally {
      await pool.end();
    }
  });

  it('settles every call made before close(), used without a store: stored, or rejected with StoreClosedError', async () => {
    const own = await openPostgresAdapter(db.url, { schema, poolSize: 2 });
    const ids = Array.from({ length: 5 }, () => `closing-${randomUUID()}`);
    const settled: unknown[] = [];
    const calls = ids.map((id) =>
      own.append(batch(id, 'no-stream')).then(
        () => settled.push('stored'),
        (error: unknown) => settled.push(error),
      ),
    );
    await own.close();
    expect(settled).toHaveLength(ids.length);
    await Promise.all(calls);
    for (const [i, id] of ids.entries()) {
      const outcome = settled[i];
      if (outcome !== 'stored') expect(outcome).toBeInstanceOf(StoreClosedError);
    }
    const stored = await Promise.all(ids.map((id) => adapter.streamInfo(id)));
    expect(stored.filter((info) => info !== null)).toHaveLength(settled.filter((o) => o === 'stored').length);
  });

  it("reads the same records whatever type parsers the given pool's connections use", async () => {
    const garbage = { getTypeParser: () => () => 'garbage' };
    const pool = new pg.Pool({ connectionString: db.url, max: 2, types: garbage });
    pool.on('error', () => undefined);
    try {
      const mine = await createPostgresAdapter(pool, { schema });
      const id = `types-${randomUUID()}`;
      const [written] = await mine.append(batch(id, 'no-stream'));
      const [read] = await mine.readStream(id, { fromVersion: 1 });
      expect(read).toEqual(written);
      expect(read?.data).toBe('{"n": 1}');
      expect(read?.timestamp.getTime()).toBe(written?.timestamp.getTime());
    } finally {
      await pool.end();
    }
  });
});
