import { statement, type Statement } from './postgres-statements.js';

/**
 * The group append (see `sql/group-commit.ts`): every batch of a group in one statement, so one
 * round trip and one commit. Each event row carries its batch: `$1` batch index, `$2` aggregate
 * id, `$3` aggregate type, `$4` expected version (NULL for 'any'), `$5` the event's place in its
 * batch (1…n), then event ids, event types, schema versions, timestamps, metadata and data. A
 * batch whose stream has another type, is at another version than expected, or holds an event
 * id already stored inserts nothing (the others still do); the caller tells why from the stored
 * state. The checks read the state before the statement, so a group never holds two batches of
 * one stream or one event id twice (the committer keeps them apart); a concurrent writer of
 * another connection that wins a race makes the whole statement fail with a unique violation,
 * and nothing of the group is written.
 *
 * The id check (`taken`: the batches with an id already stored) is a lookup per event on the unique index (LATERAL … LIMIT 1), not a join the
 * planner may turn into a scan of the table: a prepared statement's generic plan, made while the
 * table is small, would keep that scan as the table grows.
 */
export function groupAppendStatement(schema: string): Statement {
  const events = `"${schema}".events`;
  return statement(`WITH input AS (
  SELECT * FROM unnest($1::int4[], $2::text[], $3::text[], $4::int4[], $5::int4[],
    $6::text[], $7::text[], $8::int4[], $9::timestamptz[], $10::text[], $11::text[])
    AS e(b, aggregate_id, aggregate_type, expected, n, event_id, event_type, schema_version, ts, metadata, data)
), taken AS MATERIALIZED (
  SELECT input.b FROM input
  CROSS JOIN LATERAL (SELECT 1 FROM ${events} AS stored WHERE stored.event_id = input.event_id LIMIT 1) AS hit
), batches AS (
  SELECT b, aggregate_id, aggregate_type, expected FROM input WHERE n = 1
), accepted AS (
  SELECT batches.b, coalesce(head.aggregate_version, 0) AS version
  FROM batches
  LEFT JOIN LATERAL (
    SELECT aggregate_version, aggregate_type FROM ${events}
    WHERE aggregate_id = batches.aggregate_id ORDER BY aggregate_version DESC LIMIT 1
  ) AS head ON true
  WHERE (head.aggregate_type IS NULL OR head.aggregate_type = batches.aggregate_type)
    AND (batches.expected IS NULL OR coalesce(head.aggregate_version, 0) = batches.expected)
    AND NOT EXISTS (SELECT 1 FROM taken WHERE taken.b = batches.b)
)
INSERT INTO ${events} (event_id, aggregate_id, aggregate_type, aggregate_version, event_type, schema_version, "timestamp", metadata, data)
SELECT input.event_id, input.aggregate_id, input.aggregate_type, accepted.version + input.n, input.event_type,
  input.schema_version, input.ts, input.metadata::jsonb, input.data::jsonb
FROM input JOIN accepted ON accepted.b = input.b
ORDER BY input.b, input.n
RETURNING global_position, aggregate_id, aggregate_version`);
}
