import type { EventLog } from './event-log.js';

/**
 * The documents concern of the storage port: the tables of read models (`defineReadModel`). A
 * document is JSON text under a string id, in a collection of its own. Writes happen in a
 * projection's transaction (`DocumentWriter`), reads outside one (`DocumentStorage`).
 * Filters arrive validated: field names match `DOCUMENT_FIELD` and values are JSON scalars, so an
 * adapter may quote a field name into SQL, and passes every value as a parameter.
 */

/** A top-level field name a filter, an order or an index may use: an identifier, so it is safe to quote. */
export const DOCUMENT_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A read model's table: its name (an identifier) and the top-level fields it indexes. */
export interface DocumentCollection {
  readonly name: string;
  readonly indexes: readonly string[];
}

/** A value a filter compares with: JSON scalars (Dates arrive as ISO strings). */
export type DocumentScalar = string | number | boolean | null;

/**
 * One condition on a top-level field. `eq null` matches a null or missing field; values of other
 * JSON types never match. `sameType`: the schema guarantees the field holds only the values' JSON
 * type (or null), so an adapter may skip its type check.
 */
export type DocumentCondition = { field: string; sameType?: boolean } & (
  | { op: 'eq'; value: DocumentScalar }
  | { op: 'in'; values: readonly DocumentScalar[] }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }
);

export interface DocumentOrder {
  field: string;
  direction: 'asc' | 'desc';
}

/** A find: conditions (all must hold), order (then by id), paging. */
export interface DocumentQuery {
  where: readonly DocumentCondition[];
  orderBy: readonly DocumentOrder[];
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * Document writes inside a projection's transaction: they commit with its checkpoint (or with the
 * events, inline). A projection batch loads its documents once and writes them once.
 */
export interface DocumentWriter {
  /** Creates the collection's table and indexes when missing. */
  ensure(collection: DocumentCollection): Promise<void>;
  /** JSON text of the stored documents with these ids, seeing this transaction's writes (missing ids left out). */
  load(collection: DocumentCollection, ids: readonly string[]): Promise<Map<string, string>>;
  /** Inserts or replaces `puts` (id, JSON text) and deletes `deletes`; an id is in at most one of them. */
  write(collection: DocumentCollection, puts: ReadonlyMap<string, string>, deletes: readonly string[]): Promise<void>;
  /** Deletes every document of the collection (rebuild). */
  clear(collection: DocumentCollection): Promise<void>;
}

/** Document reads, outside any transaction: committed documents only. A missing table reads as empty. */
export interface DocumentStorage {
  get(collection: DocumentCollection, id: string): Promise<string | null>;
  find(collection: DocumentCollection, query: DocumentQuery): Promise<string[]>;
  count(collection: DocumentCollection, where: readonly DocumentCondition[]): Promise<number>;
  /**
   * True when the subscription has handled `position` as far as `eventTypes` go: the event at
   * `position` is stored and visible to readers, and every event of those types up to it in log
   * order is at or before the subscription's stored checkpoint (in log order, which on PostgreSQL
   * is not numeric order).
   */
  handled(subscriptionId: string, position: bigint, eventTypes: readonly string[]): Promise<boolean>;
}

/**
 * `handled` for an adapter whose positions increase in commit order (one writer: SQLite, memory):
 * numeric order is log order, so the port's own reads answer it.
 */
export async function handledInPositionOrder(
  adapter: { loadCheckpoint(subscriptionId: string): Promise<bigint | null> } & Pick<EventLog, 'globalPosition' | 'readAll'>,
  subscriptionId: string,
  position: bigint,
  eventTypes: readonly string[],
): Promise<boolean> {
  const checkpoint = (await adapter.loadCheckpoint(subscriptionId)) ?? 0n;
  if (checkpoint >= position) return true;
  if ((await adapter.globalPosition()) < position) return false;
  const [next] = await adapter.readAll({ after: checkpoint, limit: 1, eventTypes });
  return next === undefined || next.globalPosition > position;
}
