import { EVENT_COLUMNS, type EventTuple } from '../sql/event-row.js';
import type { SnapshotRow } from '../sql/snapshot-row.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-types.js';

/** Every statement the adapter runs, prepared once per connection. */
export interface SqliteStatements {
  streamInfo: SqliteStatement<{ aggregate_version: number; aggregate_type: string }>;
  /** The INSERT of `rows` events in one statement (prepared once per row count). */
  insertEvents(rows: number): SqliteStatement;
  /** Reads of events return rows as arrays in `EVENT_COLUMNS` order (raw mode). */
  eventsByIds: SqliteStatement<EventTuple>;
  readStream: SqliteStatement<EventTuple>;
  readAll: SqliteStatement<EventTuple>;
  readAllByEventType: SqliteStatement<EventTuple>;
  readAllByAggregateType: SqliteStatement<EventTuple>;
  readAllByBoth: SqliteStatement<EventTuple>;
  lastPosition: SqliteStatement<{ position: number | null }>;
  loadSnapshot: SqliteStatement<SnapshotRow>;
  saveSnapshot: SqliteStatement;
  begin: SqliteStatement;
  commit: SqliteStatement;
  rollback: SqliteStatement;
}

const SELECT = `SELECT ${EVENT_COLUMNS} FROM eventuali_events`;
const IN_EVENT_TYPES = 'event_type IN (SELECT value FROM json_each(?))';
const IN_AGGREGATE_TYPES = 'aggregate_type IN (SELECT value FROM json_each(?))';
const PAGE = 'ORDER BY global_position LIMIT ?';

export function prepareStatements(db: SqliteDatabase): SqliteStatements {
  const inserts = new Map<number, SqliteStatement>();
  const events = (sql: string) => db.prepare<EventTuple>(sql).raw(true);
  return {
    streamInfo: db.prepare(
      'SELECT aggregate_version, aggregate_type FROM eventuali_events WHERE aggregate_id = ? ORDER BY aggregate_version DESC LIMIT 1',
    ),
    insertEvents: (rows) => {
      let statement = inserts.get(rows);
      if (!statement) {
        const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
        statement = db.prepare(
          `INSERT INTO eventuali_events (event_id, aggregate_id, aggregate_type, aggregate_version, event_type,
             schema_version, timestamp, metadata, data) VALUES ${values}`,
        );
        inserts.set(rows, statement);
      }
      return statement;
    },
    eventsByIds: events(`${SELECT} WHERE event_id IN (SELECT value FROM json_each(?))`),
    readStream: events(
      `${SELECT} WHERE aggregate_id = ? AND aggregate_version >= ? AND aggregate_version <= ? ORDER BY aggregate_version`,
    ),
    readAll: events(`${SELECT} WHERE global_position > ? ${PAGE}`),
    readAllByEventType: events(`${SELECT} WHERE global_position > ? AND ${IN_EVENT_TYPES} ${PAGE}`),
    readAllByAggregateType: events(`${SELECT} WHERE global_position > ? AND ${IN_AGGREGATE_TYPES} ${PAGE}`),
    readAllByBoth: events(`${SELECT} WHERE global_position > ? AND ${IN_EVENT_TYPES} AND ${IN_AGGREGATE_TYPES} ${PAGE}`),
    lastPosition: db.prepare('SELECT max(global_position) AS position FROM eventuali_events'),
    loadSnapshot: db.prepare(
      'SELECT * FROM eventuali_snapshots WHERE aggregate_id = ? AND snapshot_version = ?',
    ),
    saveSnapshot: db.prepare(
      `INSERT INTO eventuali_snapshots (aggregate_id, snapshot_version, aggregate_version, aggregate_type, state)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (aggregate_id, snapshot_version) DO UPDATE SET
         aggregate_version = excluded.aggregate_version, aggregate_type = excluded.aggregate_type, state = excluded.state
       WHERE excluded.aggregate_version > eventuali_snapshots.aggregate_version`,
    ),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}
