import { randomUUID } from 'node:crypto';
import pg from 'pg';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../../src/testing.js';
import { openPostgresAdapter, type PostgresAdapter } from '../../src/postgres.js';
import type { AppendBatch } from '../../src/store/event-log.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';

let db: TestDatabase;
const schema = uniqueSchemaName('group_commit');
beforeAll(async () => {
  db = await createTestDatabase('group_commit');
});
afterAll(async () => {
  await db?.drop();
});

const batch = (aggregateId: string, expectedVersion: AppendBatch['expectedVersion'] = 'no-stream', events = 1): AppendBatch => ({
  aggregateId,
  aggregateType: 'GroupAccount',
  expectedVersion,
  events: Array.from({ length: events }, (_, i) => ({
    eventId: randomUUID(),
    eventType: 'Deposited',
    schemaVersion: 1,
    timestamp: new Date(),
    metadata: '{}',
    data: JSON.stringify({ amount: i + 1 }),
  })),
});

/** A group of exactly `n`: the leader waits (without limit here) until n appends queued. */
const gathering = (n: number) => ({ groupCommit: { maxBatch: n, maxDelayMs: 600_000 } });

async function transactionIds(ids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(DISTINCT transaction_id) AS n FROM ${schema}.events WHERE aggregate_id = ANY($1)`, [ids]);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('group commit on PostgreSQL', () => {
  let adapter: PostgresAdapter;
  beforeAll(async () => {
    adapter = await openPostgresAdapter(db.url, { schema, ...gathering(6) });
  });
  afterAll(async () => {
    await adapter?.close();
  });

  it('writes a group in one transaction, where a stale batch fails alone', async () => {
    const existing = `acc-${randomUUID()}`;
    const seeding = await openPostgresAdapter(db.url, { schema, groupCommit: false });
    await seeding.append(batch(existing));
    await seeding.close();
    const fresh = Array.from({ length: 5 }, () => `acc-${randomUUID()}`);
    const results = await Promise.allSettled([
      ...fresh.map((id, i) => adapter.append(batch(id, 'no-stream', i + 1))),
      adapter.append(batch(existing, 'no-stream')),
    ]);
    expect(results.slice(0, 5).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: 'CONCURRENCY_CONFLICT', actualVersion: 1 } });
    // One transaction: the readers' cut sees the whole group at once, or none of it.
    expect(await transactionIds(fresh)).toBe(1);
    const versions = await Promise.all(fresh.map(async (id) => (await adapter.streamInfo(id))?.version));
    expect(versions).toEqual([1, 2, 3, 4, 5]);
  }, 60_000);
}, 60_000);

describe('group commit on PostgreSQL, against a writer of another connection', () => {
  it('when the other writer wins a race for a row of the group, the group writes nothing and each batch goes alone', async () => {
    const other = await openPostgresAdapter(db.url, { schema, groupCommit: false });
    const grouped = await openPostgresAdapter(db.url, { schema, ...gathering(2) });
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    try {
      const raced = `acc-${randomUUID()}`;
      const free = `acc-${randomUUID()}`;
      let commitOther!: () => void;
      const held = new Promise<void>((resolve) => (commitOther = resolve));
      let appended!: () => void;
      const inside = new Promise<void>((resolve) => (appended = resolve));
      // The other writer holds version 1 of `raced`, not committed yet.
      const otherTx = other.transaction(async (session) => {
        await session.append(batch(raced));
        appended();
        await held;
      });
      await inside;
      const results = Promise.allSettled([grouped.append(batch(raced)), grouped.append(batch(free))]);
      // Wait (bounded) until the group's statement waits on the other writer's row, then commit it.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await watcher.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH input AS%'`,
        );
        if (Number(rows[0]?.n) > 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      commitOther();
      await otherTx;
      const [onRaced, onFree] = await results;
      expect(onRaced).toMatchObject({ status: 'rejected', reason: { code: 'CONCURRENCY_CONFLICT' } });
      expect(onFree?.status).toBe('fulfilled');
      expect((await grouped.streamInfo(free))?.version).toBe(1);
      expect((await grouped.readStream(raced, { fromVersion: 1 })).length).toBe(1);
    } finally {
      await watcher.end();
      await grouped.close();
      await other.close();
    }
  }, 60_000);
});

// Group commit is off by default on PostgreSQL: the whole contract again with it on.
describeEventStoreContract('PostgreSQL, group commit on', () => openPostgresAdapter(db.url, { schema, poolSize: 12, groupCommit: {} }), vitest);
