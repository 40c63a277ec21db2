import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresAdapter } from '../../src/postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { adminPool } from './support/targets.js';
import { sleep } from './support/wait.js';

// A CI run of pg-faults.test.ts once ended in an uncaught 57P01 ("terminating connection due to
// administrator command"): a pooled connection emitted 'error' while checked out, between two
// queries, with nobody listening, which crashes a Node.js process. node-postgres's pool listens
// for a connection's errors only while it is idle. The store now listens on every connection of
// its pool for as long as it lives; the query in flight, or the next one, still fails.

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('torture_pg_fault_regressions');
});
afterAll(async () => {
  await db?.drop();
});

describe('regressions: PostgreSQL connections terminated while checked out', () => {
  it('keeps the process alive when a checked-out connection of the store is terminated between two queries', async () => {
    const app = `checked_out_${process.pid}`;
    const adapter = await openPostgresAdapter(`${db!.url}?application_name=${app}`);
    const admin = adminPool(db!.url);
    let checkedOut: { release(destroy?: boolean): void } | undefined;
    try {
      // A read model's code checking a connection out of the store's pool, as the docs allow.
      const client = await adapter.pool.connect();
      checkedOut = client;
      expect((client as unknown as { listenerCount(event: string): number }).listenerCount('error')).toBeGreaterThan(0);
      await client.query({ text: 'SELECT 1' });
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
      await sleep(300); // the FATAL message arrives while no query runs on the connection
      await expect(client.query({ text: 'SELECT 1' })).rejects.toThrow();
      client.release(true);
      checkedOut = undefined;
      // The store goes on with fresh connections.
      expect(await adapter.globalPosition()).toBe(0n);
    } finally {
      checkedOut?.release(true);
      await admin.end();
      await adapter.close();
    }
  });
});
