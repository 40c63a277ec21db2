import {
  prefixRange,
  subscriptionLeaseName,
  type StreamFilter,
  type StreamQuery,
  type StreamSummary,
  type SubscriptionSummary,
} from '../inspection.js';

/**
 * The operator queries (`../inspection.ts`) written once for both SQL adapters; each adapter's
 * `*-inspection.ts` gives the dialect (table names, placeholders, lists, time columns) and runs
 * them. The SQL text is built from fixed pieces only: every value is a bound parameter.
 */
export interface InspectionDialect {
  /** The quoted table (`eventuali_events`, `"schema".events`…). */
  table(name: 'events' | 'checkpoints' | 'leases' | 'dead_letters'): string;
  /** The placeholder of the parameter at this 1-based index (`?` or `$n`). */
  placeholder(index: number): string;
  /** `expr` is one of the strings bound at `placeholder`, and the value to bind for `values`. */
  inList(expr: string, placeholder: string): string;
  listValue(values: readonly string[]): unknown;
  /** An aggregate id column as the id index orders it (PostgreSQL: `COLLATE "C"`). */
  id(column: string): string;
  /**
   * The aggregate type column as a list of streams in id order filters on it: SQLite writes
   * `+column`, so the list walks the id index in order (its heads index is by type alone, in log
   * order, and would make it sort every stream of the type); PostgreSQL's heads index is by
   * (type, id), which gives the order.
   */
  typeInIdOrder(column: string): string;
  /** A stored time column as epoch milliseconds (a number). */
  epochMs(column: string): string;
  /** A count as a number. */
  count(expr: string): string;
  /** A quick estimate of the events table's row count, as `n` (see `InspectionStorage.countEvents`). */
  estimateEvents(): string;
  /** A quick estimate of the number of streams, as `n`, or null where the exact count is quick anyway. */
  estimateStreams(): string | null;
  /** "now" as the lease table compares it: SQLite binds `Date.now()`, PostgreSQL uses `now()`. */
  now(bind: (value: unknown) => string): string;
}

/** A query's text and values. */
export interface SqlText {
  text: string;
  values: unknown[];
}

/** Binds values in the order their placeholders appear. */
class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: InspectionDialect) {}
  bind = (value: unknown): string => {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  };
}

export class InspectionQueries {
  constructor(private readonly d: InspectionDialect) {}

  countEvents(): SqlText {
    return { text: `SELECT ${this.d.count('count(*)')} AS n FROM ${this.d.table('events')}`, values: [] };
  }

  estimateEvents(): SqlText {
    return { text: this.d.estimateEvents(), values: [] };
  }

  estimateStreams(): SqlText | null {
    const text = this.d.estimateStreams();
    return text === null ? null : { text, values: [] };
  }

  countEventsAfter(position: bigint, max: number): SqlText {
    const p = new Params(this.d);
    const text = `SELECT ${this.d.count('count(*)')} AS n FROM (
      SELECT 1 FROM ${this.d.table('events')} WHERE global_position > ${p.bind(position.toString())} LIMIT ${p.bind(max)}) t`;
    return { text, values: p.values };
  }

  countStreams(filter: StreamFilter): SqlText {
    const p = new Params(this.d);
    if (filter.markers === undefined) {
      // Nothing but the stream-heads index is needed: an index-only count.
      const text = `SELECT ${this.d.count('count(*)')} AS n FROM ${this.d.table('events')} h WHERE ${this.#headFilter(p, filter).join(' AND ')}`;
      return { text, values: p.values };
    }
    const heads = this.#heads(p, filter);
    return { text: `SELECT ${this.d.count('count(*)')} AS n FROM (${heads}) s${this.#markerFilter(p, filter)}`, values: p.values };
  }

  listStreams(query: StreamQuery): SqlText {
    const p = new Params(this.d);
    const heads = this.#heads(p, query, true);
    const where = this.#markerFilter(p, query);
    const events = this.d.table('events');
    const text = `SELECT s.aggregate_id, s.aggregate_type, s.created_at, s.marker, l.aggregate_version AS version,
        ${this.d.epochMs('l."timestamp"')} AS updated_at
      FROM (${heads}) s
      JOIN ${events} l ON l.aggregate_id = s.aggregate_id
        AND l.aggregate_version = (SELECT max(x.aggregate_version) FROM ${events} x WHERE x.aggregate_id = s.aggregate_id)${where}
      ORDER BY ${this.d.id('s.aggregate_id')} LIMIT ${p.bind(query.limit)}`;
    return { text, values: p.values };
  }

  countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): SqlText {
    const p = new Params(this.d);
    const heads = this.#heads(p, { aggregateType, markerTypes });
    return { text: `SELECT s.marker, ${this.d.count('count(*)')} AS n FROM (${heads}) s GROUP BY s.marker`, values: p.values };
  }

  listSubscriptions(): SqlText {
    const p = new Params(this.d);
    const d = this.d;
    const text = `SELECT c.subscription_id, c.position, ${d.epochMs('c.updated_at')} AS updated_at, l.owner,
        ${d.epochMs('l.expires_at')} AS expires_at,
        (SELECT ${d.count('count(*)')} FROM ${d.table('dead_letters')} x WHERE x.subscription_id = c.subscription_id) AS dead_letters
      FROM ${d.table('checkpoints')} c
      LEFT JOIN ${d.table('leases')} l ON l.name = ${p.bind(subscriptionLeaseName(''))} || c.subscription_id
        AND l.expires_at >= ${d.now(p.bind)}
      ORDER BY c.subscription_id`;
    return { text, values: p.values };
  }

  /** The first event of every matching stream (the stream-heads index), with its marker. */
  #heads(p: Params, filter: StreamQuery | StreamFilter, inIdOrder = false): string {
    const d = this.d;
    const events = d.table('events');
    // Bound first: the select list comes before the WHERE clause in the text (SQLite's `?` are positional).
    const markerTypes = filter.markerTypes ?? [];
    const marker =
      markerTypes.length === 0
        ? 'NULL'
        : `(SELECT m.event_type FROM ${events} m WHERE m.aggregate_id = h.aggregate_id
            AND ${d.inList('m.event_type', p.bind(d.listValue(markerTypes)))} ORDER BY m.aggregate_version DESC LIMIT 1)`;
    const where = this.#headFilter(p, filter, inIdOrder);
    return `SELECT h.aggregate_id, h.aggregate_type, ${d.epochMs('h."timestamp"')} AS created_at, ${marker} AS marker
      FROM ${events} h WHERE ${where.join(' AND ')}`;
  }

  /** The conditions on a stream's first event `h` (binding their values). */
  #headFilter(p: Params, filter: StreamQuery | StreamFilter, inIdOrder = false): string[] {
    const d = this.d;
    const where = ['h.aggregate_version = 1'];
    if (filter.aggregateType !== undefined) {
      const type = inIdOrder ? d.typeInIdOrder('h.aggregate_type') : 'h.aggregate_type';
      where.push(`${type} = ${p.bind(filter.aggregateType)}`);
    }
    if (filter.idPrefix !== undefined && filter.idPrefix !== '') {
      const [low, high] = prefixRange(filter.idPrefix);
      where.push(`${d.id('h.aggregate_id')} >= ${p.bind(low)}`, `${d.id('h.aggregate_id')} < ${p.bind(high)}`);
    }
    const after = 'after' in filter ? filter.after : undefined;
    if (after !== undefined) where.push(`${d.id('h.aggregate_id')} > ${p.bind(after)}`);
    return where;
  }

  /** ` WHERE s.marker …` for a filter by markers (`null` matches streams without one), or nothing. */
  #markerFilter(p: Params, filter: StreamFilter): string {
    if (filter.markers === undefined) return '';
    const wanted = filter.markers.map((m) => m ?? '');
    return ` WHERE ${this.d.inList("coalesce(s.marker, '')", p.bind(this.d.listValue(wanted)))}`;
  }
}

/** Rows as the queries above select them (numbers, or decimal text for PostgreSQL's bigints). */
export interface StreamRow {
  aggregate_id: string;
  aggregate_type: string;
  version: number;
  created_at: number;
  updated_at: number;
  marker: string | null;
}

export interface SubscriptionRow {
  subscription_id: string;
  position: number | string | bigint;
  updated_at: number | null;
  owner: string | null;
  expires_at: number | null;
  dead_letters: number;
}

export function toStreamSummary(row: StreamRow): StreamSummary {
  return {
    aggregateId: row.aggregate_id,
    aggregateType: row.aggregate_type,
    version: Number(row.version),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    marker: row.marker ?? null,
  };
}

export function toSubscriptionSummary(row: SubscriptionRow): SubscriptionSummary {
  return {
    subscriptionId: row.subscription_id,
    position: BigInt(row.position),
    updatedAt: row.updated_at === null ? null : new Date(Number(row.updated_at)),
    owner: row.owner ?? null,
    leaseExpiresAt: row.expires_at === null || row.expires_at === undefined ? null : new Date(Number(row.expires_at)),
    deadLetters: Number(row.dead_letters),
  };
}

export function toMarkerCounts(rows: { marker: string | null; n: number }[]): { marker: string | null; streams: number }[] {
  return rows.map((r) => ({ marker: r.marker ?? null, streams: Number(r.n) }));
}
