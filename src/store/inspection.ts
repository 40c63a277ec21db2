/**
 * What an operator asks of a store that the event log does not answer directly: how many events
 * and streams, which streams there are (by type, by id prefix, page by page), and each stored
 * subscription's checkpoint, lease holder and dead letters. Part of the storage port (optional:
 * every built-in adapter has it); the `eventuali` command and the inspector read through it.
 *
 * Every query is answered from an index (the SQL adapters' stream-heads index, migration 3) or a
 * bounded range, never by reading every event's data.
 */

/** One stream (aggregate) as the stream list shows it. */
export interface StreamSummary {
  aggregateId: string;
  aggregateType: string;
  /** The stream's last version (its number of events). */
  version: number;
  /** When its first event was stored. */
  createdAt: Date;
  /** When its last event was stored. */
  updatedAt: Date;
  /**
   * The type of the stream's newest event among the query's `markerTypes` (the events that move a
   * state machine, such as a saga's status); `null` when it has none or none were asked for.
   */
  marker: string | null;
}

/** Which streams: every filter given must hold. */
export interface StreamFilter {
  aggregateType?: string | undefined;
  /** Streams whose id starts with this text (case-sensitive). */
  idPrefix?: string | undefined;
  /** The event types that count as markers (see `StreamSummary.marker`). */
  markerTypes?: readonly string[] | undefined;
  /** With `markerTypes`: only streams whose marker is one of these (`null`: no marker event yet). */
  markers?: readonly (string | null)[] | undefined;
}

/** A page of streams in aggregate id order (binary, case-sensitive). */
export interface StreamQuery extends StreamFilter {
  /** Streams after this aggregate id (the last id of the previous page). */
  after?: string | undefined;
  limit: number;
}

/** A subscription (or projection) as the store keeps it. */
export interface SubscriptionSummary {
  subscriptionId: string;
  /** Its stored checkpoint: the position of the last event it handled (`0n`: none yet). */
  position: bigint;
  /** When the checkpoint was last written (`null` where the adapter does not keep it). */
  updatedAt: Date | null;
  /** The instance holding its lease now (`host:pid:uuid`), or `null` when none holds it: not running anywhere. */
  owner: string | null;
  /** Until when the holder's lease runs, unless renewed. */
  leaseExpiresAt: Date | null;
  /** How many events it parked as dead letters. */
  deadLetters: number;
}

export interface InspectionStorage {
  /** How many events the store holds. */
  countEvents(): Promise<number>;
  /** How many events are stored after `position` (in position order), counting at most `max`: a subscription's lag. */
  countEventsAfter(position: bigint, max: number): Promise<number>;
  /** How many streams match. */
  countStreams(filter?: StreamFilter): Promise<number>;
  /** A page of matching streams, in aggregate id order. */
  listStreams(query: StreamQuery): Promise<StreamSummary[]>;
  /** How many streams of `aggregateType` have each marker (`null`: none yet), e.g. sagas by status. */
  countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): Promise<{ marker: string | null; streams: number }[]>;
  /** Every subscription with a stored checkpoint, by id. */
  listSubscriptions(): Promise<SubscriptionSummary[]>;
}

/** The name of a durable subscription's lease (`streaming/durable`): how its holder is found. */
export function subscriptionLeaseName(subscriptionId: string): string {
  return `subscription:${subscriptionId}`;
}

/**
 * The binary range of ids starting with `prefix`: [prefix, prefix + U+10FFFF). Both SQL adapters
 * compare ids as bytes (SQLite's BINARY, PostgreSQL's "C" collation), where no character sorts
 * after U+10FFFF, so a range scan of the index finds them.
 */
export function prefixRange(prefix: string): [low: string, high: string] {
  return [prefix, `${prefix}\u{10FFFF}`];
}
