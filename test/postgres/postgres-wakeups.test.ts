import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresAdapter, type PostgresAdapter } from '../../src/postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('wakeups');
});
afterAll(async () => db?.drop());

async function eventually(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('not woken');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('PostgreSQL wake-ups (LISTEN/NOTIFY)', () => {
  it("wakes another adapter's watchers after a commit is notified, and stops after unwatch", async () => {
    const listener: PostgresAdapter = await openPostgresAdapter(db!.url, { schema: 'wake' });
    const writer: PostgresAdapter = await openPostgresAdapter(db!.url, { schema: 'wake' });
    const other: PostgresAdapter = await openPostgresAdapter(db!.url, { schema: 'wake_other' });
    try {
      let woken = 0;
      let otherWoken = 0;
      const unwatch = listener.watch(() => (woken += 1));
      other.watch(() => (otherWoken += 1));
      // The LISTEN connection opens asynchronously: notify until it hears one.
      await eventually(() => {
        writer.notifyCommitted();
        return woken > 0;
      });
      expect(otherWoken).toBe(0);
      unwatch();
      const before = woken;
      writer.notifyCommitted();
      await new Promise((r) => setTimeout(r, 50));
      expect(woken).toBe(before);
    } finally {
      await Promise.all([listener.close(), writer.close(), other.close()]);
    }
  });
});
