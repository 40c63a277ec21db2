import { ESTIMATE_ABOVE, type EventCount, type InspectionStorage, type StreamFilter, type StreamQuery, type StreamSummary, type SubscriptionSummary } from '../inspection.js';
import {
  InspectionQueries,
  toMarkerCounts,
  toStreamSummary,
  toSubscriptionSummary,
  type SqlText,
  type StreamRow,
  type SubscriptionRow,
} from '../sql/inspection-queries.js';
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

/** The operator queries on PostgreSQL, each one query on the pool through the adapter's `call` (open check, error classification). */
export class PostgresInspection implements InspectionStorage {
  readonly #queries: InspectionQueries;

  constructor(
    schema: string,
    private readonly pool: PostgresQueryable,
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.#queries = queries(schema);
  }

  async countEvents(options: { exact?: boolean } = {}): Promise<EventCount> {
    if (options.exact === false) {
      const estimate = await this.#count(this.#queries.estimateEvents());
      if (estimate > ESTIMATE_ABOVE) return { count: estimate, exact: false };
    }
    return { count: await this.#count(this.#queries.countEvents()), exact: true };
  }

  countEventsAfter(position: bigint, max: number): Promise<number> {
    return this.#count(this.#queries.countEventsAfter(position, max));
  }

  countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#count(this.#queries.countStreams(filter));
  }

  async countAllStreams(options: { exact?: boolean } = {}): Promise<EventCount> {
    const estimate = this.#queries.estimateStreams();
    if (options.exact === false && estimate !== null) {
      const count = await this.#count(estimate);
      if (count > ESTIMATE_ABOVE) return { count, exact: false };
    }
    return { count: await this.countStreams(), exact: true };
  }

  async listStreams(query: StreamQuery): Promise<StreamSummary[]> {
    return (await this.#all<StreamRow>(this.#queries.listStreams(query))).map(toStreamSummary);
  }

  async countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): Promise<{ marker: string | null; streams: number }[]> {
    return toMarkerCounts(await this.#all<{ marker: string | null; n: number }>(this.#queries.countStreamsByMarker(aggregateType, markerTypes)));
  }

  async listSubscriptions(): Promise<SubscriptionSummary[]> {
    return (await this.#all<SubscriptionRow>(this.#queries.listSubscriptions())).map(toSubscriptionSummary);
  }

  async #count(sql: SqlText): Promise<number> {
    const [row] = await this.#all<{ n: number }>(sql);
    return Number(row?.n ?? 0);
  }

  #all<Row>(sql: SqlText): Promise<Row[]> {
    return this.call(async () => (await this.pool.query<Row>({ text: sql.text, values: sql.values, types: ROW_TYPES })).rows);
  }
}
