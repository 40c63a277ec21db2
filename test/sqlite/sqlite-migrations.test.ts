import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventStore } from '../../src/index.js';
import { migrate, SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'eventuali-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Opened = defineEvent('MigrationOpened', z.object({ n: z.number().int() }));

const indexes = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'eventuali_events' AND sql IS NOT NULL ORDER BY name")
      .all()
      .map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('SQLite migrations', () => {
  it('upgrades a file made at migration 3: the stream heads index rekeyed by type, counts and lists unchanged', async () => {
    const file = join(dir, 'at-3.db');
    const old = new Database(file);
    migrate(old, SQLITE_MIGRATIONS.filter((m) => m.version <= 3));
    old.close();
    expect(indexes(file)).toEqual(['eventuali_events_stream_heads_by_type']);

    // Streams written before the upgrade (by a store stopped at migration 3's schema) and after.
    const before = new Database(file);
    const insert = before.prepare(
      `INSERT INTO eventuali_events (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, timestamp, metadata, data)
       VALUES (?, ?, ?, ?, 'MigrationOpened', 1, 0, '{}', '{"n":1}')`,
    );
    for (const id of ['c', 'a']) insert.run(`e-${id}`, id, 'Order', 1);
    insert.run('e-a2', 'a', 'Order', 2);
    insert.run('e-x', 'x', 'Invoice', 1);
    before.close();

    const store = (await EventStore.create(`sqlite://${file}`)).register(Opened);
    try {
      expect(indexes(file)).toEqual(['eventuali_events_stream_heads']);
      await store.append('Order', 'b', 'no-stream', [Opened.create({ n: 2 })]);
      const inspection = store.adapter.inspection!;
      expect(await inspection.countStreams({ aggregateType: 'Order' })).toBe(3);
      expect(await inspection.countStreams({})).toBe(4);
      const listed = await inspection.listStreams({ aggregateType: 'Order', limit: 10 });
      expect(listed.map((s) => [s.aggregateId, s.version])).toEqual([
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ]);
      const page = await inspection.listStreams({ aggregateType: 'Order', after: 'a', limit: 1 });
      expect(page.map((s) => s.aggregateId)).toEqual(['b']);
    } finally {
      await store.close();
    }
  });
});
