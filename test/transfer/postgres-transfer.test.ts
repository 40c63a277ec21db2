import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, exportEvents, importEvents } from '../../src/index.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';
import { Deposited, everything, transferSuite } from './transfer-suite.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('transfer');
});
afterAll(async () => {
  await db?.drop();
});

// A schema per store: each test imports into an empty one.
transferSuite('PostgreSQL', () => EventStore.create(db.url, { schema: uniqueSchemaName('transfer') }));

describe('export and import: a PostgreSQL log out of numeric order', () => {
  it('keeps the log order when positions committed out of numeric order', async () => {
    const open = async () => (await EventStore.create(db.url, { schema: uniqueSchemaName('order') })).register(Deposited);
    const source = await open();
    const target = await open();
    try {
      let drawn!: () => void;
      let release!: () => void;
      const drawnP = new Promise<void>((r) => (drawn = r));
      const releaseP = new Promise<void>((r) => (release = r));
      await source.append('Account', 'first', 'no-stream', [Deposited.create({ amount: 1 })]);
      // The slow transaction takes its transaction id first, then position 3 after the fast append
      // took position 2: the log orders by transaction id, so 3 comes before 2.
      const slow = source.transaction(async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        drawn();
        await releaseP;
        await tx.append('Account', 'slow', 'no-stream', [Deposited.create({ amount: 2 })]);
      });
      await drawnP;
      const fast = source.append('Account', 'fast', 'no-stream', [Deposited.create({ amount: 3 })]);
      await fast;
      release();
      await slow;
      await source.append('Account', 'last', 'no-stream', [Deposited.create({ amount: 4 })]);
      const order = (await everything(source)).map((e) => e.globalPosition);
      expect(order).toEqual([1n, 3n, 2n, 4n]);
      const result = await importEvents(target, exportEvents(source));
      expect(result.imported).toBe(4);
      expect(await everything(target)).toEqual(await everything(source));
    } finally {
      await source.close();
      await target.close();
    }
  });
});
