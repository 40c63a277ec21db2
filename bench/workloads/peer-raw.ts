/**
 * The raw driver in the peer comparison: the physical floor, on eventuali's own tables (created by
 * its migrations, run by opening a store once), with the connection settings of bench/contenders/raw-*.ts (SQLite: WAL, the
 * location's synchronous, prepared statements; PostgreSQL: a pool of 10, named statements, every
 * column as text).
 *   append: one transaction: SELECT the stream's last version, throw unless expected, one
 *           multi-row INSERT, COMMIT.
 *   read:   `SELECT <columns> … ORDER BY …` and `JSON.parse` of each row's data; rebuild folds it.
 *   log:    pages of `SELECT … WHERE global_position > ? ORDER BY global_position LIMIT n`.
 *   consumer: the same pages, a handler that counts, and a checkpoint UPSERT (its own commit) at most
 *           every 250 ms and after the last page: the policy of eventuali's durable subscriptions
 *           (CHECKPOINT_EVERY_MS), so both replay at most 250 ms of events after a crash.
 */
import pg from 'pg';
import { EventStore } from '../../src/index.js';
import { EVENT_COLUMNS } from '../../src/store/sql/event-row.js';
import { rowParams } from '../contenders/raw-rows.js';
import { rawPostgresWriter, SCHEMA, TEXT_ONLY } from '../contenders/raw-postgres.js';
import { insertStatements, openRawSqliteDatabase } from '../contenders/raw-sqlite.js';
import { seedLog } from '../lib/seed-log.js';
import { evolveAccount, initialAccount, type AccountState, type PeerContender, type PeerFactory } from './peer-contender.js';

interface Row {
  global_position: number | string;
  event_type: string;
  data: string;
}

/** What differs between the two drivers; the contender is written once over it. */
interface RawDriver {
  write(streamId: string, expected: number, from: number, to: number): Promise<void>;
  stream(streamId: string): Promise<Row[]>;
  page(after: string, limit: number): Promise<Row[]>;
  checkpoint(consumerId: string, position: string): Promise<void>;
  seed(events: number): Promise<void>;
  close(): Promise<void>;
}

function conflict(streamId: string, expected: number, current: number): Error {
  return new Error(`conflict on ${streamId}: expected version ${expected}, found ${current}`);
}

function sqliteDriver(filename: string, synchronous: 'full' | 'normal'): RawDriver {
  const db = openRawSqliteDatabase(filename, synchronous);
  db.exec('CREATE TABLE IF NOT EXISTS raw_checkpoints (consumer_id TEXT PRIMARY KEY, position INTEGER NOT NULL)');
  const head = db
    .prepare<[string], number>('SELECT aggregate_version FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1')
    .pluck();
  const stream = db.prepare<[string], Row>(`SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version`);
  const page = db.prepare<[number, number], Row>(
    `SELECT ${EVENT_COLUMNS} FROM eventuali_events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
  );
  const save = db.prepare<[string, number]>(
    'INSERT INTO raw_checkpoints (consumer_id, position) VALUES (?, ?) ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position',
  );
  const insert = insertStatements(db);
  const append = db.transaction((streamId: string, expected: number, rows: number, params: unknown[]) => {
    const current = head.get(streamId) ?? 0;
    if (current !== expected) throw conflict(streamId, expected, current);
    insert(rows).run(params);
  });
  return {
    write: async (streamId, expected, from, to) => {
      append.immediate(streamId, expected, to - from + 1, rowParams(streamId, from, to, (ms) => ms));
    },
    stream: async (streamId) => stream.all(streamId),
    page: async (after, limit) => page.all(Number(after), limit),
    checkpoint: async (consumerId, position) => void save.run(consumerId, Number(position)),
    seed: (events) => seedLog({ kind: 'sqlite', filename, synchronous }, events),
    close: async () => void db.close(),
  };
}

const CHECKPOINT_EVERY_MS = 250;
const COLUMNS = EVENT_COLUMNS.replace('timestamp', '"timestamp"');

async function postgresDriver(connectionString: string): Promise<RawDriver> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', () => {}); // an idle connection dropped with its database
  // The adapter's own migrations (recorded, so seeding through bench/lib/seed-log.ts finds them applied).
  await (await EventStore.create(connectionString)).close();
  await pool.query('CREATE TABLE IF NOT EXISTS raw_checkpoints (consumer_id text PRIMARY KEY, position bigint NOT NULL)');
  return {
    write: rawPostgresWriter(pool, 'peer_raw'),
    stream: async (streamId) =>
      (
        await pool.query<Row>({
          name: 'peer_raw_stream',
          text: `SELECT ${COLUMNS} FROM ${SCHEMA}.events WHERE aggregate_id = $1 ORDER BY aggregate_version`,
          values: [streamId],
          types: TEXT_ONLY,
        })
      ).rows,
    page: async (after, limit) =>
      (
        await pool.query<Row>({
          name: 'peer_raw_page',
          text: `SELECT ${COLUMNS} FROM ${SCHEMA}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
          values: [after, limit],
          types: TEXT_ONLY,
        })
      ).rows,
    checkpoint: async (consumerId, position) => {
      await pool.query({
        name: 'peer_raw_checkpoint',
        text: 'INSERT INTO raw_checkpoints (consumer_id, position) VALUES ($1, $2) ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position',
        values: [consumerId, position],
      });
    },
    seed: (events) => seedLog({ kind: 'postgres', connectionString }, events),
    close: () => pool.end(),
  };
}

export const openPeerRaw: PeerFactory = async (location) => {
  const driver = location.kind === 'sqlite' ? sqliteDriver(location.filename, location.synchronous) : await postgresDriver(location.connectionString);
  const parsed = (rows: readonly Row[]): number => {
    let count = 0;
    for (const row of rows) if (JSON.parse(row.data) !== null) count++;
    return count;
  };
  /** Pages from the start; `each` gets every page after its rows are parsed. */
  const pages = async (limit: number, each: (last: string) => Promise<void>): Promise<number> => {
    let after = '0';
    let read = 0;
    for (;;) {
      const rows = await driver.page(after, limit);
      read += parsed(rows);
      const last = rows[rows.length - 1];
      if (!last) return read;
      after = String(last.global_position);
      await each(after);
      if (rows.length < limit) return read;
    }
  };
  const contender: PeerContender = {
    name: 'raw',
    appendNew: (streamId, count) => driver.write(streamId, 0, 1, count),
    appendAt: (streamId, expected) => driver.write(streamId, expected, expected + 1, expected + 1),
    readStream: async (streamId) => parsed(await driver.stream(streamId)),
    async rebuild(streamId) {
      let state: AccountState = initialAccount();
      for (const row of await driver.stream(streamId)) state = evolveAccount(state, row.event_type, JSON.parse(row.data) as Record<string, unknown>);
      return state.version;
    },
    readAll: (pageSize) => pages(pageSize, async () => {}),
    async catchUp(consumerId, total, batchSize) {
      let storedAt = performance.now();
      let pending: string | null = null;
      const seen = await pages(batchSize, async (last) => {
        pending = last;
        if (performance.now() - storedAt < CHECKPOINT_EVERY_MS) return;
        await driver.checkpoint(consumerId, last);
        storedAt = performance.now();
        pending = null;
      });
      if (pending !== null) await driver.checkpoint(consumerId, pending);
      if (seen < total) throw new Error(`raw consumer handled ${seen} of ${total} events`);
      return seen;
    },
    seedLog: (events) => driver.seed(events),
    close: () => driver.close(),
  };
  return contender;
};
