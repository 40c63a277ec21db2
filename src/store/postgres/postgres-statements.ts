import { createHash } from 'node:crypto';
import { EVENT_COLUMNS } from '../sql/event-row.js';
import type { PostgresTypeParsers } from './postgres-types.js';

/** A fixed SQL text with the name it is prepared under (once per connection). */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/**
 * Names come from the text, so two adapters on one pool with different schemas never clash, and
 * stay short (PostgreSQL cuts statement names at 63 bytes).
 */
export function statement(text: string): Statement {
  return { name: `eventuali_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`, text };
}

const asText = (value: string): string => value;
const asBoolean = (value: string): boolean => value === 't';
const INT4 = 23;
const FLOAT8 = 701;
const BOOL = 16;

/**
 * The parsers of every query the adapter sends, whatever the pool's global ones are: jsonb stays
 * JSON text (core decodes it once), bigint positions stay strings (the row mapper makes bigints),
 * int4 and float8 become numbers.
 */
export const ROW_TYPES: PostgresTypeParsers = {
  getTypeParser: (oid) => (oid === INT4 || oid === FLOAT8 ? Number : oid === BOOL ? asBoolean : asText),
};

/**
 * The shared column list, with the timestamp read as epoch milliseconds: no date parsing in the
 * driver, and no dependence on the session's DateStyle, TimeZone or the pool's type parsers.
 */
export const SELECT_EVENT = EVENT_COLUMNS.split(', ')
  .map((column) => (column === 'timestamp' ? `round(extract(epoch FROM "timestamp") * 1000)::float8 AS "timestamp"` : column))
  .join(', ');

/**
 * The log order readers see: (transaction id, position), cut before the oldest transaction that
 * may still write an event. Every row below the cut is final in this statement's snapshot, so a
 * transaction that drew lower positions but commits later is never skipped.
 *
 * The cut is `pg_snapshot_xmin(pg_current_snapshot())`, refined: a transaction in flight in
 * another database of the cluster cannot write to this table, so it does not hold readers back
 * (CREATE DATABASE or a long job next door would otherwise stall every reader). A transaction is
 * skipped only on proof: a backend of another database showing that transaction id. Unknown ones
 * (prepared transactions, ids the server hides) keep blocking. Transactions that start after the
 * snapshot have ids at or above its xmax, hence the bound.
 */
export const VISIBLE = `transaction_id < (
  SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
  FROM pg_snapshot_xip(pg_current_snapshot()) AS x
  WHERE x::xid NOT IN (
    SELECT backend_xid FROM pg_stat_get_activity(NULL)
    WHERE backend_xid IS NOT NULL AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))`;

/** The stored events with any of the ids in `$1` (a text array). */
export function selectEventsByIds(schema: string): string {
  return `SELECT ${SELECT_EVENT} FROM "${schema}".events WHERE event_id = ANY($1::text[])`;
}

/** Every fixed statement of one schema. */
export interface PostgresStatements {
  /** The append of a one-event batch (the common case), with scalar parameters. */
  readonly appendOne: Statement;
  /** The append of a larger batch, with one array parameter per column. */
  readonly appendMany: Statement;
  /** The stream's last event (`head` true) and the stored events carrying any of the batch's ids. */
  readonly diagnose: Statement;
  readonly readStream: Statement;
  readonly streamInfo: Statement;
  readonly globalPosition: Statement;
  readonly loadSnapshot: Statement;
  readonly saveSnapshot: Statement;
  /** readAll, by which optional clauses it has. */
  readAll(after: boolean, eventTypes: boolean, aggregateTypes: boolean): Statement;
}

export function prepareStatements(schema: string): PostgresStatements {
  const events = `"${schema}".events`;
  const snapshots = `"${schema}".snapshots`;
  const readAllVariants = new Map<number, Statement>();
  return {
    appendOne: statement(appendText(events, false)),
    appendMany: statement(appendText(events, true)),
    diagnose: statement(`(SELECT ${SELECT_EVENT}, true AS head FROM ${events}
  WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1)
UNION ALL
SELECT ${SELECT_EVENT}, false AS head FROM ${events} WHERE event_id = ANY($2::text[])`),
    readStream: statement(
      `SELECT ${SELECT_EVENT} FROM ${events}
WHERE aggregate_id = $1 AND aggregate_version >= $2 AND aggregate_version <= $3 ORDER BY aggregate_version`,
    ),
    streamInfo: statement(
      `SELECT aggregate_version, aggregate_type FROM ${events} WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1`,
    ),
    globalPosition: statement(
      `SELECT global_position FROM ${events} WHERE ${VISIBLE} ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    ),
    loadSnapshot: statement(
      `SELECT aggregate_id, aggregate_type, aggregate_version, snapshot_version, state FROM ${snapshots}
WHERE aggregate_id = $1 AND snapshot_version = $2`,
    ),
    saveSnapshot: statement(`INSERT INTO ${snapshots} (aggregate_id, snapshot_version, aggregate_version, aggregate_type, state)
VALUES ($1, $2, $3, $4, $5::jsonb)
ON CONFLICT (aggregate_id, snapshot_version) DO UPDATE
SET aggregate_version = excluded.aggregate_version, aggregate_type = excluded.aggregate_type, state = excluded.state
WHERE snapshots.aggregate_version < excluded.aggregate_version`),
    readAll(after, eventTypes, aggregateTypes) {
      const key = (after ? 1 : 0) | (eventTypes ? 2 : 0) | (aggregateTypes ? 4 : 0);
      let variant = readAllVariants.get(key);
      if (!variant) {
        readAllVariants.set(key, (variant = statement(readAllText(events, after, eventTypes, aggregateTypes))));
      }
      return variant;
    },
  };
}

/**
 * One round trip: reads the stream's head, checks its type, the expected version (`$3`, NULL for
 * 'any') and that no event id is stored yet, then inserts the batch at the next versions; inserts
 * nothing (drawing no position) when a check fails. Parameters: `$1` aggregate id, `$2` aggregate
 * type, `$3` expected version, then event ids, event types, schema versions, timestamps, metadata
 * and data, as scalars (`many` false) or arrays.
 */
function appendText(events: string, many: boolean): string {
  const head = `WITH head AS (
  SELECT aggregate_version, aggregate_type FROM ${events}
  WHERE aggregate_id = $1 ORDER BY aggregate_version DESC LIMIT 1
), stream AS (
  SELECT coalesce((SELECT aggregate_version FROM head), 0) AS version, (SELECT aggregate_type FROM head) AS aggregate_type
)
INSERT INTO ${events} (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, "timestamp", metadata, data)`;
  const checks = `WHERE (stream.aggregate_type IS NULL OR stream.aggregate_type = $2)
  AND ($3::int4 IS NULL OR stream.version = $3::int4)`;
  if (!many) {
    return `${head}
SELECT $4::text, $1, $2, stream.version + 1, $5::text, $6::int4, $7::timestamptz, $8::jsonb, $9::jsonb
FROM stream
${checks}
  AND NOT EXISTS (SELECT 1 FROM ${events} WHERE event_id = $4::text)
RETURNING global_position, aggregate_version`;
  }
  // The id check joins unnest to the unique index: "event_id = ANY($4)" can get a generic plan
  // that scans the table, fixed while the table grows.
  return `${head}
SELECT e.event_id, $1, $2, stream.version + e.n, e.event_type, e.schema_version, e.ts, e.metadata::jsonb, e.data::jsonb
FROM stream, unnest($4::text[], $5::text[], $6::int4[], $7::timestamptz[], $8::text[], $9::text[])
  WITH ORDINALITY AS e(event_id, event_type, schema_version, ts, metadata, data, n)
${checks}
  AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) AS batch(id) JOIN ${events} AS stored ON stored.event_id = batch.id)
ORDER BY e.n
RETURNING global_position, aggregate_version`;
}

/** `$1` is the limit; then the position to read after, the event types, the aggregate types (those present). */
function readAllText(events: string, after: boolean, eventTypes: boolean, aggregateTypes: boolean): string {
  const where = [VISIBLE];
  let n = 1;
  if (after) {
    n++;
    // Row comparison on the (transaction_id, global_position) index: after that event in log order.
    where.push(`(transaction_id, global_position) > ((SELECT transaction_id FROM ${events} WHERE global_position = $${n}), $${n})`);
  }
  if (eventTypes) where.push(`event_type = ANY($${++n}::text[])`);
  if (aggregateTypes) where.push(`aggregate_type = ANY($${++n}::text[])`);
  return `SELECT ${SELECT_EVENT} FROM ${events}
WHERE ${where.join('\n  AND ')}
ORDER BY transaction_id, global_position
LIMIT $1`;
}
