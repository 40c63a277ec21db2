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

/** The operator queries on SQLite: synchronous statements run under the adapter's lock (`run`). */
export class SqliteInspection implements InspectionStorage {
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly run: <T>(fn: () => T) => Promise<T>,
  ) {}

  async countEvents(options: { exact?: boolean } = {}): Promise<EventCount> {
    if (options.exact === false) {
      const estimate = await this.#count(QUERIES.estimateEvents());
      if (estimate > ESTIMATE_ABOVE) return { count: estimate, exact: false };
    }
    return { count: await this.#count(QUERIES.countEvents()), exact: true };
  }

  countEventsAfter(position: bigint, max: number): Promise<number> {
    return this.#count(QUERIES.countEventsAfter(position, max));
  }

  countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#count(QUERIES.countStreams(filter));
  }

  async countAllStreams(): Promise<EventCount> {
    return { count: await this.countStreams(), exact: true };
  }

  async listStreams(query: StreamQuery): Promise<StreamSummary[]> {
    return (await this.#all<StreamRow>(QUERIES.listStreams(query))).map(toStreamSummary);
  }

  async countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): Promise<{ marker: string | null; streams: number }[]> {
    return toMarkerCounts(await this.#all<{ marker: string | null; n: number }>(QUERIES.countStreamsByMarker(aggregateType, markerTypes)));
  }

  async listSubscriptions(): Promise<SubscriptionSummary[]> {
    return (await this.#all<SubscriptionRow>(QUERIES.listSubscriptions())).map(toSubscriptionSummary);
  }

  async #count(sql: SqlText): Promise<number> {
    const [row] = await this.#all<{ n: number }>(sql);
    return Number(row?.n ?? 0);
  }

  /** Runs a query, preparing each text once (texts differ only by which filters are given). */
  #all<Row>(sql: SqlText): Promise<Row[]> {
    return this.run(() => {
      let statement = this.#statements.get(sql.text);
      if (!statement) this.#statements.set(sql.text, (statement = this.db.prepare(sql.text)));
      return statement.all(...sql.values) as Row[];
    });
  }
}
