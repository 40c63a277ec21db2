/**
 * The physical floor on PostgreSQL: node-postgres on the adapter's own table, created by the
 * adapter's migrations (opening a store once: schema `eventuali`, same columns, constraints,
 * indexes, the xid8 default). A pool of 10 connections, like eventuali's default; named prepared
 * statements.
 *
 * A write is what a hand-written event store does, on one pooled connection:
 *   BEGIN
 *   SELECT aggregate_version … WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1
 *   (ROLLBACK and throw unless it is the expected version)
 *   INSERT INTO eventuali.events (…) VALUES (…), (…), …   -- one multi-row statement per batch
 *   COMMIT
 * (four round trips; the unique (aggregate_id, aggregate_version) constraint catches a racing writer.)
 * A read is `SELECT <the adapter's columns> … WHERE aggregate_id = $1 ORDER BY aggregate_version`
 * with every column fetched as text (no driver-side parsing at all) and `JSON.parse` of each data.
 */
import pg from 'pg';
import { EventStore } from '../../src/index.js';
import type { RawDriver, RawRow } from './raw.js';
import { COLUMNS_PER_ROW, conflict, EVENT_COLUMNS, INSERT_COLUMNS, rowParams } from './raw-rows.js';

export const SCHEMA = '"eventuali"';
const POOL_SIZE = 10;
const asText = (value: string): string => value;
/** Every column as text: no driver-side parsing. */
export const TEXT_ONLY = { getTypeParser: () => asText } as unknown as pg.CustomTypesConfig;
const COLUMNS = EVENT_COLUMNS.replace('timestamp', '"timestamp"');

function insertText(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const base = r * COLUMNS_PER_ROW;
    tuples.push(`(${Array.from({ length: COLUMNS_PER_ROW }, (_, c) => `$${base + c + 1}`).join(', ')})`);
  }
  return `INSERT INTO ${SCHEMA}.events (${INSERT_COLUMNS.replace('timestamp', '"timestamp"')}) VALUES ${tuples.join(', ')}`;
}

/**
 * The raw write on one pooled connection: BEGIN, the stream's head, a conflict unless it is
 * `expected`, one multi-row INSERT of versions `from`…`to`, COMMIT.
 */
function rawPostgresWriter(pool: pg.Pool): RawDriver['write'] {
  const inserts = new Map<number, string>();
  const toDate = (ms: number): Date => new Date(ms);
  return async (streamId, expected, from, to) => {
    const rows = to - from + 1;
    let text = inserts.get(rows);
    if (!text) inserts.set(rows, (text = insertText(rows)));
    const client = await pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      const { rows: head } = await client.query<{ aggregate_version: number }>({
        name: 'raw_head',
        text: `SELECT aggregate_version FROM ${SCHEMA}.events WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1`,
        values: [streamId],
      });
      const current = head[0]?.aggregate_version ?? 0;
      if (current !== expected) throw conflict(streamId, expected, current);
      await client.query({ name: `raw_insert_${rows}`, text, values: rowParams(streamId, from, to, toDate) });
      await client.query('COMMIT');
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release(failed);
    }
  };
}

export async function rawPostgresDriver(connectionString: string): Promise<RawDriver> {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
  pool.on('error', () => {}); // an idle connection dropped with its database
  // The adapter's own migrations (recorded, so seeding through bench/lib/seed-log.ts finds them applied).
  await (await EventStore.create(connectionString)).close();
  await pool.query('CREATE TABLE IF NOT EXISTS raw_checkpoints (consumer_id text PRIMARY KEY, position bigint NOT NULL)');
  const select = async (name: string, where: string, values: unknown[]): Promise<RawRow[]> =>
    (await pool.query<RawRow>({ name, text: `SELECT ${COLUMNS} FROM ${SCHEMA}.events WHERE ${where}`, values, types: TEXT_ONLY })).rows;
  return {
    write: rawPostgresWriter(pool),
    stream: (streamId) => select('raw_stream', 'aggregate_id = $1 ORDER BY aggregate_version', [streamId]),
    page: (after, limit) => select('raw_page', 'global_position > $1 ORDER BY global_position LIMIT $2', [after, limit]),
    checkpoint: async (consumerId, position) => {
      await pool.query({
        name: 'raw_checkpoint',
        text: 'INSERT INTO raw_checkpoints (consumer_id, position) VALUES ($1, $2) ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position',
        values: [consumerId, position],
      });
    },
    close: () => pool.end(),
  };
}
