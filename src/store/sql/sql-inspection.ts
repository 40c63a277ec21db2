import { ESTIMATE_ABOVE, type EventCount, type InspectionStorage, type StreamFilter, type StreamQuery, type StreamSummary, type SubscriptionSummary } from '../inspection.js';
import {
  toMarkerCounts,
  toStreamSummary,
  toSubscriptionSummary,
  type InspectionQueries,
  type SqlText,
  type StreamRow,
  type SubscriptionRow,
} from './inspection-queries.js';

/** Runs one query and returns its rows (each adapter's driver call, under its open check and error classification). */
export type RunInspectionQuery = <Row>(sql: SqlText) => Promise<Row[]>;

/**
 * The operator queries (`../inspection.ts`) on a SQL adapter: the queries of `inspection-queries.ts`
 * in the adapter's dialect, run by the adapter (`sqlite-inspection.ts`, `postgres-inspection.ts`).
 */
export class SqlInspection implements InspectionStorage {
  constructor(
    private readonly queries: InspectionQueries,
    private readonly all: RunInspectionQuery,
  ) {}

  async countEvents(options: { exact?: boolean } = {}): Promise<EventCount> {
    if (options.exact === false) {
      const estimate = await this.#count(this.queries.estimateEvents());
      if (estimate > ESTIMATE_ABOVE) return { count: estimate, exact: false };
    }
    return { count: await this.#count(this.queries.countEvents()), exact: true };
  }

  countEventsAfter(position: bigint, max: number): Promise<number> {
    return this.#count(this.queries.countEventsAfter(position, max));
  }

  countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#count(this.queries.countStreams(filter));
  }

  async countAllStreams(options: { exact?: boolean } = {}): Promise<EventCount> {
    const estimate = this.queries.estimateStreams();
    if (options.exact === false && estimate !== null) {
      const count = await this.#count(estimate);
      if (count > ESTIMATE_ABOVE) return { count, exact: false };
    }
    return { count: await this.countStreams(), exact: true };
  }

  async listStreams(query: StreamQuery): Promise<StreamSummary[]> {
    return (await this.all<StreamRow>(this.queries.listStreams(query))).map(toStreamSummary);
  }

  async countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): Promise<{ marker: string | null; streams: number }[]> {
    return toMarkerCounts(await this.all<{ marker: string | null; n: number }>(this.queries.countStreamsByMarker(aggregateType, markerTypes)));
  }

  async listSubscriptions(): Promise<SubscriptionSummary[]> {
    return (await this.all<SubscriptionRow>(this.queries.listSubscriptions())).map(toSubscriptionSummary);
  }

  async #count(sql: SqlText): Promise<number> {
    const [row] = await this.all<{ n: number }>(sql);
    return Number(row?.n ?? 0);
  }
}
