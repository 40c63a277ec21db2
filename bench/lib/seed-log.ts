/**
 * Fills a store's log fast, for the streaming workloads: raw multi-row inserts in the adapter's own
 * table format (its migrations, its columns, the JSON eventuali writes: bench/contenders/raw-rows.ts),
 * aggregates of 1000 events. SQLite at synchronous=OFF; PostgreSQL with 5,000 rows per INSERT
 * (column arrays through unnest), then VACUUM ANALYZE so every reader finds the same settled table.
 */
import pg from 'pg';
import { EventStore } from '../../src/index.js';
import { insertRows, insertStatements, openRawSqliteDatabase } from '../contenders/raw-sqlite.js';
import { uuidv7 } from '../contenders/raw-rows.js';
import { ACCOUNT_TYPE, eventAt } from '../domain/account.js';
import type { Location } from './targets.js';

export const EVENTS_PER_AGGREGATE = 1000;
const SQLITE_ROWS_PER_STATEMENT = 100;
const POSTGRES_AGGREGATES_PER_STATEMENT = 5;
const POSTGRES_WRITERS = 2;

/** Writes `events` events (a multiple of 1000) as aggregates `account-0` … into an empty store. */
export async function seedLog(location: Location, events: number): Promise<void> {
  if (events % EVENTS_PER_AGGREGATE !== 0) throw new Error(`events must be a multiple of ${EVENTS_PER_AGGREGATE}`);
  const aggregates = events / EVENTS_PER_AGGREGATE;
  if (location.kind === 'sqlite') seedSqlite(location.filename, aggregates);
  else await seedPostgres(location.connectionString, aggregates);
}

function seedSqlite(filename: string, aggregates: number): void {
  const db = openRawSqliteDatabase(filename, 'off');
  const insert = insertStatements(db)(SQLITE_ROWS_PER_STATEMENT);
  const writeAggregate = db.transaction((index: number) => {
    const id = `account-${index}`;
    for (let from = 1; from <= EVENTS_PER_AGGREGATE; from += SQLITE_ROWS_PER_STATEMENT) {
      insertRows(insert, id, from, from + SQLITE_ROWS_PER_STATEMENT - 1);
    }
  });
  for (let i = 0; i < aggregates; i++) writeAggregate(i);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const INSERT_UNNEST = `INSERT INTO "eventuali".events
  (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, "timestamp", metadata, data)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::int4[], $7::timestamptz[], $8::jsonb[], $9::jsonb[])`;

/** Column arrays of aggregates `first` … `first + count - 1`. */
function columns(first: number, count: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 9 }, () => []);
  const now = new Date().toISOString();
  for (let a = first; a < first + count; a++) {
    for (let version = 1; version <= EVENTS_PER_AGGREGATE; version++) {
      const { type, data } = eventAt(version);
      const row = [uuidv7(), `account-${a}`, ACCOUNT_TYPE, version, type, 1, now, '{}', JSON.stringify(data)];
      for (let c = 0; c < 9; c++) (cols[c] as unknown[]).push(row[c]);
    }
  }
  return cols;
}

async function seedPostgres(connectionString: string, aggregates: number): Promise<void> {
  // The store's own migrations create the schema.
  await (await EventStore.create(connectionString)).close();
  const pool = new pg.Pool({ connectionString, max: POSTGRES_WRITERS });
  pool.on('error', () => {});
  try {
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < aggregates) {
        const first = next;
        const count = Math.min(POSTGRES_AGGREGATES_PER_STATEMENT, aggregates - first);
        next += count;
        await pool.query(INSERT_UNNEST, columns(first, count));
      }
    };
    await Promise.all(Array.from({ length: POSTGRES_WRITERS }, writer));
    await pool.query('VACUUM ANALYZE "eventuali".events');
  } finally {
    await pool.end();
  }
}
