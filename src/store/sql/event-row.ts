import type { EventRecord } from '../event-log.js';

/** The columns both SQL adapters select, in this order, named as in `EventRow`. */
export const EVENT_COLUMNS =
  'global_position, event_id, event_type, aggregate_id, aggregate_type, aggregate_version, schema_version, timestamp, metadata, data';

/** A stored event row as the SQL adapters select it. */
export interface EventRow {
  global_position: bigint | number | string;
  event_id: string;
  event_type: string;
  aggregate_id: string;
  aggregate_type: string;
  aggregate_version: number;
  schema_version: number;
  /** Milliseconds since the epoch (SQLite) or a Date (PostgreSQL). */
  timestamp: number | Date;
  /** JSON text. */
  metadata: string;
  /** JSON text. */
  data: string;
}

/** Maps a selected row to the adapter-neutral record. */
export function toEventRecord(row: EventRow): EventRecord {
  const position = row.global_position;
  return {
    globalPosition: typeof position === 'bigint' ? position : BigInt(position),
    eventId: row.event_id,
    eventType: row.event_type,
    aggregateId: row.aggregate_id,
    aggregateType: row.aggregate_type,
    aggregateVersion: row.aggregate_version,
    schemaVersion: row.schema_version,
    timestamp: typeof row.timestamp === 'number' ? new Date(row.timestamp) : row.timestamp,
    metadata: row.metadata,
    data: row.data,
  };
}

export function toEventRecords(rows: readonly EventRow[]): EventRecord[] {
  const out = new Array<EventRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = toEventRecord(rows[i] as EventRow);
  return out;
}

/**
 * A selected row in `EVENT_COLUMNS` order, as an array (better-sqlite3's raw mode, pg's
 * `rowMode: 'array'`): no object built per row, which is most of the cost of reading a row.
 */
export type EventTuple = [
  /** A bigint or number (SQLite), or decimal text (PostgreSQL). */
  globalPosition: bigint | number | string,
  eventId: string,
  eventType: string,
  aggregateId: string,
  aggregateType: string,
  aggregateVersion: number,
  schemaVersion: number,
  timestamp: number,
  metadata: string,
  data: string,
];

export function tuplesToEventRecords(rows: readonly EventTuple[]): EventRecord[] {
  const out = new Array<EventRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as EventTuple;
    const position = row[0];
    out[i] = {
      globalPosition: typeof position === 'bigint' ? position : BigInt(position),
      eventId: row[1],
      eventType: row[2],
      aggregateId: row[3],
      aggregateType: row[4],
      aggregateVersion: row[5],
      schemaVersion: row[6],
      timestamp: new Date(row[7]),
      metadata: row[8],
      data: row[9],
    };
  }
  return out;
}
