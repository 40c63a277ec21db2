import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteAdapter } from '../../../src/sqlite.js';

// A standalone checkpoint write skips its fsync in WAL mode (a lost one only means events are
// delivered again); it must leave the connection's own durability setting as it was.
describe('SQLite checkpoint writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventuali-checkpoints-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const synchronous of ['full', 'normal'] as const) {
    it(`stores the checkpoint and leaves synchronous=${synchronous} as it was, in and out of a transaction`, async () => {
      const adapter = await openSqliteAdapter(join(dir, `${synchronous}.db`), { synchronous });
      const level = (): unknown => adapter.database.pragma('synchronous', { simple: true });
      const before = level();
      expect(before).toBe(synchronous === 'full' ? 2 : 1);
      expect(await adapter.acquireLease('subscription:a', 'me', 5000)).toBe(true);
      expect(await adapter.saveCheckpoint('a', 41n, { name: 'subscription:a', owner: 'me' })).toBe(true);
      expect(level()).toBe(before);
      expect(await adapter.saveCheckpoint('a', 42n, { name: 'subscription:a', owner: 'someone else' })).toBe(false);
      expect(await adapter.loadCheckpoint('a')).toBe(41n);
      await adapter.transaction(async (session) => {
        expect(await session.saveCheckpoint('a', 43n, { name: 'subscription:a', owner: 'me' })).toBe(true);
        expect(level()).toBe(before);
      });
      expect(await adapter.loadCheckpoint('a')).toBe(43n);
      await adapter.close();
    });
  }
});
