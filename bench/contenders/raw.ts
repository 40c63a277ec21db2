/**
 * The raw driver: the physical floor, on eventuali's own tables (created by its migrations), with
 * the adapter's connection settings (SQLite: WAL, the location's synchronous, prepared statements;
 * PostgreSQL: a pool of 10, named statements, every column as text). better-sqlite3 on SQLite
 * locations (raw-sqlite.ts), node-postgres on PostgreSQL ones (raw-postgres.ts); the contender is
 * written once over what differs between the two drivers.
 *   append: one transaction: SELECT the stream's last version, throw unless expected, one
 *           multi-row INSERT, COMMIT.
 *   read:   `SELECT <columns> … ORDER BY …` and `JSON.parse` of each row's data; rebuild folds it.
 *   log:    pages of `SELECT … WHERE global_position > ? ORDER BY global_position LIMIT n`.
 *   consumer: the same pages, a handler that counts, and a checkpoint UPSERT (its own commit) at most
 *           every 250 ms and after the last page: the policy of eventuali's durable subscriptions
 *           (CHECKPOINT_EVERY_MS), so both replay at most 250 ms of events after a crash.
 */
import { evolveAccount, initialAccount, type AccountState } from '../domain/account.js';
import { seedLog } from '../lib/seed-log.js';
import { chunks, type Contender, type ContenderFactory } from './contender.js';
import { rawPostgresDriver } from './raw-postgres.js';
import { parsedRows } from './raw-rows.js';
import { rawSqliteDriver } from './raw-sqlite.js';

/** What the raw contender does, for the tables' descriptions. */
export const RAW_SETUP =
  "raw runs on the adapter's own table, created by the adapter's migration SQL (same columns, constraints and indexes), " +
  'with the same connection settings (SQLite: WAL, the same synchronous; PostgreSQL: a pool of 10 like eventuali\'s default) ' +
  'and prepared statements, writing the same rows (UUID event ids, the JSON text eventuali writes).';

export const RAW_WRITE =
  'raw write, as a hand-written event store does it, in one transaction: SELECT the stream\'s last version, throw unless it is ' +
  'the expected one, one INSERT (multi-row for a batch), COMMIT. SQLite: BEGIN IMMEDIATE through better-sqlite3\'s transaction helper. ' +
  'PostgreSQL: BEGIN, SELECT, INSERT, COMMIT on a pooled connection, four round trips (eventuali\'s append is one statement, one round trip).';

export const RAW_READ =
  "raw read: `SELECT <the adapter's columns> … WHERE aggregate_id = ? ORDER BY aggregate_version` and `JSON.parse` of each row's data, " +
  'nothing more (on PostgreSQL every column is fetched as text, with no driver-side parsing).';

/** A selected row as the raw reads use it (PostgreSQL: every column as text). */
export interface RawRow {
  global_position: number | string;
  event_type: string;
  data: string;
}

/** What differs between the two drivers; the contender is written once over it. */
export interface RawDriver {
  /** One transaction: the version check against `expected`, then versions `from` … `to` in one INSERT. */
  write(streamId: string, expected: number, from: number, to: number): Promise<void>;
  stream(streamId: string): Promise<RawRow[]>;
  page(after: string, limit: number): Promise<RawRow[]>;
  checkpoint(consumerId: string, position: string): Promise<void>;
  close(): Promise<void>;
}

const CHECKPOINT_EVERY_MS = 250;

export const raw: ContenderFactory = async (location) => {
  const driver = location.kind === 'sqlite' ? rawSqliteDriver(location.filename, location.synchronous) : await rawPostgresDriver(location.connectionString);
  const appendNew = (streamId: string, count: number): Promise<void> => driver.write(streamId, 0, 1, count);
  const readStream = async (streamId: string): Promise<number> => parsedRows(await driver.stream(streamId));
  /** Pages from the start; `each` gets every page after its rows are parsed. */
  const pages = async (limit: number, each: (last: string) => Promise<void>): Promise<number> => {
    let after = '0';
    let read = 0;
    for (;;) {
      const rows = await driver.page(after, limit);
      read += parsedRows(rows);
      const last = rows[rows.length - 1];
      if (!last) return read;
      after = String(last.global_position);
      await each(after);
      if (rows.length < limit) return read;
    }
  };
  const contender: Contender = {
    name: 'raw',
    saveNew: appendNew,
    async seedStream(streamId, eventCount, chunkSize) {
      for (const [from, to] of chunks(eventCount, chunkSize)) await driver.write(streamId, from - 1, from, to);
    },
    loadAggregate: readStream,
    appendNew,
    appendAt: (streamId, expected) => driver.write(streamId, expected, expected + 1, expected + 1),
    readStream,
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
    seedLog: (events) => seedLog(location, events),
    close: () => driver.close(),
  };
  return contender;
};
