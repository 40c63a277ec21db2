/**
 * The physical floor on PostgreSQL: node-postgres on the adapter's own table, created by the
 * adapter's migration SQL (schema `eventuali`, same columns, constraints, indexes, the xid8 default).
 * A pool of 10 connections, like eventuali's default; named prepared statements.
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
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { EVENT_COLUMNS } from '../../src/store/sql/event-row.js';
import type { BenchDatabase } from '../lib/targets.js';
import type { Contender, ContenderFactory } from './contender.js';
import { chunks, COLUMNS_PER_ROW, INSERT_COLUMNS, rowParams } from './raw-rows.js';

export const SCHEMA = '"eventuali"';
const POOL_SIZE = 10;
const asText = (value: string): string => value;
export const TEXT_ONLY = { getTypeParser: () => asText } as unknown as pg.CustomTypesConfig;

/** Creates the adapter's schema: its migrations' SQL, run as they are. */
async function createSchema(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  for (const migration of POSTGRES_MIGRATIONS) await pool.query(migration.sql(SCHEMA));
}

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
 * `expected`, one multi-row INSERT of versions `from`…`to`, COMMIT. `prefix` names its prepared statements.
 */
export function rawPostgresWriter(pool: pg.Pool, prefix: string): (streamId: string, expected: number, from: number, to: number) => Promise<void> {
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
        name: `${prefix}_head`,
        text: `SELECT aggregate_version FROM ${SCHEMA}.events WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1`,
        values: [streamId],
      });
      const current = head[0]?.aggregate_version ?? 0;
      if (current !== expected) throw new Error(`conflict on ${streamId}: expected version ${expected}, found ${current}`);
      await client.query({ name: `${prefix}_insert_${rows}`, text, values: rowParams(streamId, from, to, toDate) });
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

export const rawPostgres: ContenderFactory = async (bench: BenchDatabase) => {
  const location = bench.location;
  if (location.kind !== 'postgres') throw new Error('raw-postgres runs on PostgreSQL locations only');
  const pool = new pg.Pool({ connectionString: location.connectionString, max: POOL_SIZE });
  pool.on('error', () => {}); // an idle connection dropped with its database
  await createSchema(pool);
  const writer = rawPostgresWriter(pool, 'raw');
  const write = (streamId: string, from: number, to: number): Promise<void> => writer(streamId, from - 1, from, to);

  const contender: Contender = {
    name: 'raw',
    createStream: (streamId, eventCount) => write(streamId, 1, eventCount),
    async seedStream(streamId, eventCount, chunkSize) {
      for (const [from, to] of chunks(eventCount, chunkSize)) await write(streamId, from, to);
    },
    async readStream(streamId) {
      const { rows } = await pool.query<{ data: string }>({
        name: 'raw_read_stream',
        text: `SELECT ${EVENT_COLUMNS.replace('timestamp', '"timestamp"')} FROM ${SCHEMA}.events WHERE aggregate_id = $1 ORDER BY aggregate_version`,
        values: [streamId],
        types: TEXT_ONLY,
      });
      let parsed = 0;
      for (const row of rows) if (JSON.parse(row.data) !== null) parsed++;
      return parsed;
    },
    close: () => pool.end(),
  };
  return contender;
};
