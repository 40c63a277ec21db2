import { InspectionQueries, type SqlText } from '../sql/inspection-queries.js';
import { SqlInspection } from '../sql/sql-inspection.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-types.js';

const TABLES = {
  events: 'eventuali_events',
  checkpoints: 'eventuali_checkpoints',
  leases: 'eventuali_leases',
  dead_letters: 'eventuali_dead_letters',
} as const;

const QUERIES = new InspectionQueries({
  table: (name) => TABLES[name],
  placeholder: () => '?',
  inList: (expr, placeholder) => `${expr} IN (SELECT value FROM json_each(${placeholder}))`,
  listValue: (values) => JSON.stringify(values),
  id: (column) => column,
  typeInIdOrder: (column) => `+${column}`,
  epochMs: (column) => column,
  count: (expr) => expr,
  now: (bind) => bind(Date.now()),
  // Counting the stream-heads index is quick on SQLite (a few ms per 100,000 streams).
  estimateStreams: () => null,
  // Two subqueries: SQLite answers a lone min() or max() from the end of the index, not both in one.
  estimateEvents: () =>
    'SELECT coalesce((SELECT max(global_position) FROM eventuali_events) - (SELECT min(global_position) FROM eventuali_events) + 1, 0) AS n',
});

/** The operator queries on SQLite: synchronous statements run under the adapter's lock (`run`), each text prepared once (texts differ only by which filters are given). */
export function sqliteInspection(db: SqliteDatabase, run: <T>(fn: () => T) => Promise<T>): SqlInspection {
  const statements = new Map<string, SqliteStatement>();
  return new SqlInspection(QUERIES, <Row>(sql: SqlText) =>
    run(() => {
      let statement = statements.get(sql.text);
      if (!statement) statements.set(sql.text, (statement = db.prepare(sql.text)));
      return statement.all(...sql.values) as Row[];
    }),
  );
}
