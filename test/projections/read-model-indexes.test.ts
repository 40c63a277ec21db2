import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, type DocumentQuery } from '../../src/index.js';
import { SqlDocumentReader, type DocumentDialect } from '../../src/store/sql/sql-documents.js';
import { SQLITE_DOCUMENTS } from '../../src/store/sqlite/sqlite-documents.js';
import { postgresDocuments } from '../../src/store/postgres/postgres-documents.js';
import { toDocumentQuery } from '../../src/projections/document-query.js';
import { CartOpened, cartId, cartModel } from '../../src/testing/contract/read-model-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

/** The SQL a find runs, captured instead of run. */
async function findSql(dialect: DocumentDialect, collection: { name: string; indexes: string[] }, query: DocumentQuery) {
  let captured: [string, readonly unknown[]] = ['', []];
  const reader = new SqlDocumentReader(dialect, async (sql, params) => ((captured = [sql, params]), []), async () => true);
  await reader.find(collection, query);
  return captured;
}

const dir = mkdtempSync(join(tmpdir(), 'eventuali-rm-indexes-'));
let pgDb: TestDatabase | undefined;
beforeAll(async () => {
  pgDb = await createTestDatabase('rm_indexes');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
});

const filters = [
  ['equality', { where: { owner: 'ann' } }],
  ['in', { where: { owner: { in: ['ann', 'bob'] } } }],
  ['range', { where: { total: { gte: 10, lt: 20 } } }],
] as const;

describe('read-model indexes serve find', () => {
  it.each(filters)('SQLite: %s on an indexed field searches its expression index', async (_what, options) => {
    const file = join(dir, `${cartId()}.db`);
    const store = await EventStore.create(`sqlite://${file}`);
    const model = cartModel();
    store.projection(model, { inline: true });
    await store.append('ContractCart', cartId(), 'no-stream', [CartOpened.create({ owner: 'ann', openedAt: new Date(), vip: false })]);
    await store.close();
    const [sql, params] = await findSql(SQLITE_DOCUMENTS, { name: model.name, indexes: [...model.indexes] }, toDocumentQuery(model, options));
    const db = new Database(file, { readonly: true });
    const plan = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
    db.close();
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX eventuali_rm_\w+__(owner|total)/);
  });

  it.each(filters)('PostgreSQL: %s on an indexed field can use its expression index', async (_what, options) => {
    const schema = 'eventuali';
    const store = await EventStore.create(pgDb!.url);
    const model = cartModel();
    store.projection(model, { inline: true });
    await store.append('ContractCart', cartId(), 'no-stream', [CartOpened.create({ owner: 'ann', openedAt: new Date(), vip: false })]);
    await store.close();
    const [sql, params] = await findSql(postgresDocuments(schema), { name: model.name, indexes: [...model.indexes] }, toDocumentQuery(model, options));
    const client = new pg.Client({ connectionString: pgDb!.url });
    await client.connect();
    try {
      // A one-row table is scanned whatever the indexes: forbid that, so the plan shows whether the index matches.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [...params]);
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using rm_\w+__(owner|total)|Bitmap Index Scan on rm_\w+__(owner|total)/);
    } finally {
      await client.end();
    }
  });
});
