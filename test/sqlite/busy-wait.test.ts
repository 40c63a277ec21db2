import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { defineEvent, EventStore } from '../../src/index.js';

// Another process's write lock is waited out between timer sleeps, not inside the call: the
// event loop keeps serving the process meanwhile. The lock holder here is a second connection in
// this process that lets go from a timer, which could never fire if the wait blocked the loop.
const Noted = defineEvent('BusyNoted', z.object({ n: z.number() }));
const dir = mkdtempSync(join(tmpdir(), 'eventuali-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function holdWriteLock(file: string, releaseAfterMs: number): Promise<{ released: Promise<void> }> {
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      holder.exec('COMMIT');
      holder.close();
      resolve();
    }, releaseAfterMs),
  );
  return { released };
}

describe('SQLite: a write lock held by another connection', () => {
  it('is waited out without blocking the event loop: appends, transactions and checkpoints go through once it is released', async () => {
    const file = join(dir, 'wait.db');
    const store = await EventStore.create(`sqlite://${file}`, { busyTimeoutMs: 10_000 });
    store.register(Noted);
    try {
      for (const write of [
        () => store.append('Note', 'a', 'any', [Noted.create({ n: 1 })]),
        () => store.transaction((tx) => tx.append('Note', 'b', 'any', [Noted.create({ n: 2 })])),
      ]) {
        let ticks = 0;
        const ticker = setInterval(() => ticks++, 1);
        const { released } = await holdWriteLock(file, 50);
        try {
          await write();
        } finally {
          clearInterval(ticker);
        }
        await released;
        expect(ticks, 'timers ran while the write waited').toBeGreaterThan(0);
      }
      expect((await store.readAll()).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await store.close();
    }
  });

  it('fails with CONNECTION once the busy timeout has passed, having written nothing', async () => {
    const file = join(dir, 'timeout.db');
    const store = await EventStore.create(`sqlite://${file}`, { busyTimeoutMs: 30 });
    store.register(Noted);
    try {
      const { released } = await holdWriteLock(file, 300);
      await expect(store.append('Note', 'c', 'any', [Noted.create({ n: 3 })])).rejects.toMatchObject({ code: 'CONNECTION' });
      await released;
      expect(await store.readAll()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
