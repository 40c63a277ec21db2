import type { InspectionStorage, StreamFilter, StreamQuery, StreamSummary, SubscriptionSummary } from '../inspection.js';
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
    epochMs: (column) => `round(extract(epoch FROM ${column}) * 1000)::float8`,
    count: (expr) => `(${expr})::float8`,
    now: () => 'now()',
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

  countEvents(): Promise<number> {
    return this.#count(this.#queries.countEvents());
  }

  countEventsAfter(position: bigint, max: number): Promise<number> {
    return this.#count(this.#queries.countEventsAfter(position, max));
  }

  countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#count(this.#queries.countStreams(filter));
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
