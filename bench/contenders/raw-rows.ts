/**
 * The rows a hand-written event store inserts into the adapter's table: the same columns and
 * values eventuali writes (a time-ordered UUIDv7 event id, as eventuali's create() makes, the JSON
 * text of the data, `{}` metadata, a millisecond timestamp), built without validation, with a
 * plain `JSON.stringify`. Same ids, same index behaviour: the comparison measures the library.
 * The column lists are the adapter's table as its migrations create it, spelled out here as a
 * hand-written store spells them (the bench uses eventuali's public API only).
 */
import { randomUUID } from 'node:crypto';
import { ACCOUNT_TYPE, eventAt } from '../domain/account.js';

/** The columns a raw read selects: every column of the adapter's events table. */
export const EVENT_COLUMNS =
  'global_position, event_id, event_type, aggregate_id, aggregate_type, aggregate_version, schema_version, timestamp, metadata, data';
export const INSERT_COLUMNS =
  'event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, timestamp, metadata, data';
export const COLUMNS_PER_ROW = 9;

/**
 * A time-ordered UUID (RFC 9562 version 7): 48 bits of milliseconds, then the random bits and the
 * variant of a `randomUUID()` (which draws from a cached entropy pool), its version digit set to 7.
 */
export function uuidv7(now = Date.now()): string {
  const random = randomUUID();
  const ms = now.toString(16).padStart(12, '0');
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

/** Parameters of the rows at versions `from` … `to`, flattened in INSERT_COLUMNS order. */
export function rowParams(streamId: string, from: number, to: number, timestamp: (ms: number) => unknown): unknown[] {
  const params: unknown[] = [];
  const now = timestamp(Date.now());
  for (let version = from; version <= to; version++) {
    const { type, data } = eventAt(version);
    params.push(uuidv7(), streamId, ACCOUNT_TYPE, version, type, 1, now, '{}', JSON.stringify(data));
  }
  return params;
}

/** A raw read's rows as the floor decodes them: `JSON.parse` of each row's data; returns how many. */
export function parsedRows(rows: readonly { data: string }[]): number {
  let count = 0;
  for (const row of rows) if (JSON.parse(row.data) !== null) count++;
  return count;
}

export function conflict(streamId: string, expected: number, current: number): Error {
  return new Error(`conflict on ${streamId}: expected version ${expected}, found ${current}`);
}
