import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore, defineEvent } from '../../src/index.js';
import { configureSqlite, createSqliteAdapter } from '../../src/sqlite.js';
import type { SqliteDatabase } from '../../src/store/sqlite/sqlite-types.js';
import { z } from 'zod';

const dir = mkdtempSync(join(tmpdir(), 'eventuali-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Noted = defineEvent('GroupNoted', z.object({ n: z.number().int() }));

/** The database, with every write transaction the adapter begins (`BEGIN IMMEDIATE`) counted. */
function counted(file: string): { db: SqliteDatabase; commits: () => number; close: () => void } {
  const real = new Database(file);
  configureSqlite(real);
  let begun = 0;
  const db = new Proxy(real, {
    get(target, key) {
      if (key !== 'transaction') {
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (fn: (...args: unknown[]) => unknown) => {
        const tx = target.transaction(fn);
        const immediate = (...args: unknown[]) => {
          begun++;
          return tx.immediate(...args);
        };
        return Object.assign((...args: unknown[]) => tx(...args), { immediate });
      };
    },
  }) as unknown as SqliteDatabase;
  return { db, commits: () => begun, close: () => real.close() };
}

describe('group commit on a SQLite file', () => {
  it('commits concurrent appends in a few shared transactions, each stored once', async () => {
    const { db, commits, close } = counted(join(dir, 'grouped.db'));
    const store = new EventStore(createSqliteAdapter(db)).register(Noted);
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `note-${i}`);
      const before = commits();
      const stored = await Promise.all(ids.map((id, n) => store.append('Note', id, 'no-stream', [Noted.create({ n })])));
      // The first append commits alone, at once; the others queued meanwhile and share the next.
      expect(commits() - before).toBeLessThanOrEqual(3);
      const log = await store.readAll({ limit: 1000 });
      expect(log.map((e) => e.eventId).sort()).toEqual(stored.flat().map((e) => e.eventId).sort());
      expect(new Set(log.map((e) => e.globalPosition)).size).toBe(40);
    } finally {
      await store.close();
      close();
    }
  });

  it('with groupCommit: false, commits each append alone', async () => {
    const { db, commits, close } = counted(join(dir, 'alone.db'));
    const store = new EventStore(createSqliteAdapter(db, { groupCommit: false })).register(Noted);
    try {
      const before = commits();
      await Promise.all(Array.from({ length: 10 }, (_, n) => store.append('Note', `alone-${n}`, 'no-stream', [Noted.create({ n })])));
      expect(commits() - before).toBe(10);
    } finally {
      await store.close();
      close();
    }
  });
});
