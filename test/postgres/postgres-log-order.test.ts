import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/index.js';
import { openPostgresAdapter, type PostgresAdapter } from '../../src/postgres.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';
import { batch, event, gate, pageIds, someoneWaitsForALock } from './postgres-fixtures.js';

let db: TestDatabase;
let admin: pg.Pool;
let adapter: PostgresAdapter;
const schema = uniqueSchemaName('log_order');

beforeAll(async () => {
  db = await createTestDatabase('pg_log_order');
  admin = new pg.Pool({ connectionString: db.url, max: 4 });
  admin.on('error', () => undefined);
  adapter = await openPostgresAdapter(db.url, { schema });
});

afterAll(async () => {
  await adapter?.close();
  await admin?.end();
  await db?.drop();
});

describe('PostgreSQL adapter: appends', () => {
  it("lets parallel appends with expected version 'any' all succeed, at versions 1…n", async () => {
    const id = `any-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => adapter.append(batch(id, 'any', 2))));
    const versions = results.flat().map((r) => r.aggregateVersion);
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('tells a retry from a conflict inside a transaction without aborting it', async () => {
    const id = `retry-${randomUUID()}`;
    const first = batch(id, 'no-stream', 3);
    const [stored, retried] = await adapter.transaction(async (session) => {
      const written = await session.append(first);
      await expect(session.append(batch(id, 'no-stream'))).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', actualVersion: 3 });
      const again = await session.append({ ...first, expectedVersion: 'any' });
      return [written, again];
    });
    expect(retried).toEqual(stored);
    expect((await adapter.readStream(id, { fromVersion: 1 })).map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
  });

  it('refuses JSON that jsonb cannot store with INVALID_ARGUMENT, writing nothing', async () => {
    const id = `nul-${randomUUID()}`;
    const nul = { ...event(), data: JSON.stringify({ text: 'a\u0000b' }) };
    await expect(adapter.append({ aggregateId: id, aggregateType: 'Note', expectedVersion: 0, events: [event(), nul] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(adapter.append({ ...batch(id, 0), events: [{ ...event(), data: '{"n": ' }] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await adapter.streamInfo(id)).toBeNull();
  });

  it('fails a transaction whose insert lost a race, even when fn catches the error', async () => {
    const contested = `contested-${randomUUID()}`;
    const other = `other-${randomUUID()}`;
    const inserted = gate();
    const release = gate();
    const winner = adapter.transaction(async (session) => {
      await session.append(batch(contested, 'no-stream'));
      inserted.open();
      await release.promise;
    });
    await inserted.promise;
    let caught: unknown;
    const loser = adapter.transaction(async (session) => {
      await session.append(batch(other, 'no-stream'));
      try {
        await session.append(batch(contested, 'no-stream')); // waits for the winner's row, then collides
      } catch (error) {
        caught = error;
      }
      return 'swallowed';
    });
    await someoneWaitsForALock(admin);
    release.open();
    await winner;
    await expect(loser).rejects.toBeInstanceOf(ConcurrencyError);
    expect(caught).toBeInstanceOf(ConcurrencyError);
    expect(caught).toMatchObject({ aggregateId: contested, expectedVersion: 'no-stream', actualVersion: 1 });
    await expect(loser).rejects.toBe(caught);
    expect(await adapter.streamInfo(other)).toBeNull();
  });
});

describe('PostgreSQL adapter: global order', () => {
  it('never skips a transaction that drew a lower position and committed after a higher one', async () => {
    const start = await adapter.globalPosition();
    const slow = `slow-${randomUUID()}`;
    const fast = `fast-${randomUUID()}`;
    const drawn = gate();
    const release = gate();
    const slowTx = adapter.transaction(async (session) => {
      await session.append(batch(slow, 'no-stream'));
      drawn.open();
      await release.promise;
    });
    await drawn.promise;
    const [fastEvent] = await adapter.append(batch(fast, 'no-stream'));
    // Committed, and readable by its stream, but not yet in the log: the slow transaction may still commit before it.
    expect(await adapter.streamInfo(fast)).toMatchObject({ version: 1 });
    expect(await adapter.readAll({ after: start, limit: 10 })).toEqual([]);
    expect(await adapter.globalPosition()).toBe(start);
    release.open();
    await slowTx;
    const [slowEvent] = await adapter.readAll({ after: start, limit: 1 });
    expect(slowEvent?.aggregateId).toBe(slow);
    expect(slowEvent!.globalPosition < fastEvent!.globalPosition).toBe(true);
    expect(await pageIds(adapter, start)).toEqual([slow, fast]);
    expect(await adapter.globalPosition()).toBe(fastEvent!.globalPosition);
  });

  it('orders by transaction, so positions can arrive out of numeric order, and resumes after any of them', async () => {
    const start = await adapter.globalPosition();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const firstWritten = gate();
    const secondWritten = gate();
    const bCommitted = gate();
    const txA = adapter.transaction(async (session) => {
      const [a1] = await session.append(batch(a, 'no-stream'));
      firstWritten.open();
      await secondWritten.promise;
      const [a2] = await session.append(batch(a, 1));
      await bCommitted.promise;
      return [a1!, a2!] as const;
    });
    await firstWritten.promise;
    const [b1] = await adapter.transaction(async (session) => {
      const written = await session.append(batch(b, 'no-stream'));
      secondWritten.open();
      return written;
    });
    bCommitted.open();
    const [a1, a2] = await txA;
    expect([a1.globalPosition < b1!.globalPosition, b1!.globalPosition < a2.globalPosition]).toEqual([true, true]);
    const log = (await adapter.readAll({ after: start, limit: 10 })).map((e) => e.globalPosition);
    expect(log).toEqual([a1.globalPosition, a2.globalPosition, b1!.globalPosition]);
    expect((await adapter.readAll({ after: a2.globalPosition, limit: 10 })).map((e) => e.aggregateId)).toEqual([b]);
    expect(await adapter.globalPosition()).toBe(b1!.globalPosition);
  });

  it('hides commits behind a transaction of this database that is still open, not one of another database', async () => {
    const start = await adapter.globalPosition();
    const id = `held-${randomUUID()}`;
    const next = await createTestDatabase('pg_adapter_other');
    const elsewhere = new pg.Client({ connectionString: next.url });
    elsewhere.on('error', () => undefined);
    const here = await admin.connect();
    try {
      await elsewhere.connect();
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      await here.query('BEGIN');
      await here.query('SELECT pg_current_xact_id()');
      const [stored] = await adapter.append(batch(id, 'no-stream'));
      expect(await adapter.readStream(id, { fromVersion: 1 })).toEqual([stored]);
      expect(await adapter.readAll({ after: start, limit: 10 })).toEqual([]);
      expect(await adapter.globalPosition()).toBe(start);
      await here.query('COMMIT');
      // Only the other database's transaction is still open: it cannot write here, so it hides nothing.
      expect((await adapter.readAll({ after: start, limit: 10 })).map((e) => e.aggregateId)).toEqual([id]);
      expect(await adapter.globalPosition()).toBe(stored!.globalPosition);
    } finally {
      here.release();
      await elsewhere.end().catch(() => undefined);
      await next.drop();
    }
  });
});
