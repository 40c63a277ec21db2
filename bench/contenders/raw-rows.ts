/**
 * The rows a hand-written event store inserts into the adapter's table: the same columns and
 * values eventuali writes (a time-ordered UUIDv7 event id, as eventuali's create() makes, the JSON
 * text of the data, `{}` metadata, a millisecond timestamp), built without validation, with a
 * plain `JSON.stringify`. Same ids, same index behaviour: the comparison measures the library.
 */
import { uuidv7 } from '../../src/core/uuid-v7.js';
import { ACCOUNT_TYPE, eventAt } from '../domain/account.js';

export const INSERT_COLUMNS =
  'event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, timestamp, metadata, data';
export const COLUMNS_PER_ROW = 9;

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

/** Splits `eventCount` versions into chunks: `[from, to]` pairs. */
export function* chunks(eventCount: number, chunkSize: number): Generator<[number, number]> {
  for (let from = 1; from <= eventCount; from += chunkSize) yield [from, Math.min(eventCount, from + chunkSize - 1)];
}
