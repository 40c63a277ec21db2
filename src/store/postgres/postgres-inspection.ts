import { InspectionQueries, type SqlText } from '../sql/inspection-queries.js';
import { SqlInspection } from '../sql/sql-inspection.js';
import { ROW_TYPES } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

/** The operator queries in one schema (float8 counts and times, so `ROW_TYPES` makes numbers of them). */
function queries(schema: string): InspectionQueries {
  const s = `"${schema}"`;
  return new InspectionQueries({
    table: (name) => `${s}.${name}`,
    placeholder: (index) => `$${index}`,
    inList: (expr, placeholder) => `${expr} = ANY(${placeholder}::text[])`,
    listValue: (values) => [...values],
    id: (column) => `${column} COLLATE "C"`,
    typeInIdOrder: (column) => column,
    epochMs: (column) => `round(extract(epoch FROM ${column}) * 1000)::float8`,
    count: (expr) => `(${expr})::float8`,
    now: () => 'now()',
    estimateStreams: () => `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass('${s}.events_stream_heads_idx')`,
    // reltuples is -1 before the table's first ANALYZE: the exact count is then used.
    estimateEvents: () => `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass('${s}.events')`,
  });
}

/** The operator queries on PostgreSQL: each one query on the pool through the adapter's `call` (open check, error classification). */
export function postgresInspection(schema: string, pool: PostgresQueryable, call: <T>(fn: () => Promise<T>) => Promise<T>): SqlInspection {
  return new SqlInspection(queries(schema), <Row>(sql: SqlText) =>
    call(async () => (await pool.query<Row>({ text: sql.text, values: sql.values, types: ROW_TYPES })).rows),
  );
}
