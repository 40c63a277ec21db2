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
  epochMs: (column) => column,
  count: (expr) => expr,
  now: (bind) => bind(Date.now()),
});

/** The operator queries on SQLite: synchronous statements run under the adapter's lock (`run`). */
export class SqliteInspection implements InspectionStorage {
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly run: <T>(fn: () => T) => Promise<T>,
  ) {}

  countEvents(): Promise<number> {
    return this.#count(QUERIES.countEvents());
  }

  countEventsAfter(position: bigint, max: number): Promise<number> {
    return this.#count(QUERIES.countEventsAfter(position, max));
  }

  countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#count(QUERIES.countStreams(filter));
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
