import type { SubscriptionStorage } from '../coordination.js';
import type { EventLog } from '../event-log.js';
import {
  handledInPositionOrder,
  type DocumentCollection,
  type DocumentCondition,
  type DocumentQuery,
  type DocumentScalar,
  type DocumentStorage,
  type DocumentWriter,
} from '../documents.js';

/** A stored document: its JSON text, and the parsed value filters look at. */
interface Stored {
  json: string;
  value: Record<string, unknown>;
}

type Collection = Map<string, Stored>;

/**
 * @internal the memory adapter's documents: committed collections, and per transaction a staged
 * layer that reaches them only on commit (a rolled-back projection batch leaves nothing behind).
 */
export class MemoryDocuments implements DocumentStorage {
  readonly #collections = new Map<string, Collection>();

  constructor(private readonly log: Pick<SubscriptionStorage, 'loadCheckpoint'> & Pick<EventLog, 'globalPosition' | 'readAll'>) {}

  /** A transaction's writes, applied by `commit()`. */
  stage(): StagedDocuments {
    return new StagedDocuments(this.#collections);
  }

  async get(collection: DocumentCollection, id: string): Promise<string | null> {
    return this.#collections.get(collection.name)?.get(id)?.json ?? null;
  }

  async find(collection: DocumentCollection, query: DocumentQuery): Promise<string[]> {
    const rows = this.#matching(collection, query.where);
    rows.sort((a, b) => {
      for (const { field, direction } of query.orderBy) {
        const order = compareValues(a[1].value[field], b[1].value[field]);
        if (order !== 0) return direction === 'asc' ? order : -order;
      }
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
    const start = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : start + query.limit;
    return rows.slice(start, end).map(([, stored]) => stored.json);
  }

  async count(collection: DocumentCollection, where: readonly DocumentCondition[]): Promise<number> {
    return this.#matching(collection, where).length;
  }

  handled(subscriptionId: string, position: bigint, eventTypes: readonly string[]): Promise<boolean> {
    return handledInPositionOrder(this.log, subscriptionId, position, eventTypes);
  }

  #matching(collection: DocumentCollection, where: readonly DocumentCondition[]): [string, Stored][] {
    const rows = [...(this.#collections.get(collection.name) ?? new Map<string, Stored>())];
    return rows.filter(([, stored]) => where.every((condition) => matches(stored.value[condition.field], condition)));
  }
}

/** @internal one transaction's document writes; `null` marks a deletion. */
export class StagedDocuments implements DocumentWriter {
  readonly #changes = new Map<string, Map<string, Stored | null>>();
  readonly #cleared = new Set<string>();

  constructor(private readonly committed: Map<string, Collection>) {}

  async ensure(): Promise<void> {}

  async load(collection: DocumentCollection, ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const changes = this.#changes.get(collection.name);
    const committed = this.#cleared.has(collection.name) ? undefined : this.committed.get(collection.name);
    for (const id of ids) {
      const staged = changes?.get(id);
      const json = staged === undefined ? committed?.get(id)?.json : staged?.json;
      if (json !== undefined) found.set(id, json);
    }
    return found;
  }

  async write(collection: DocumentCollection, puts: ReadonlyMap<string, string>, deletes: readonly string[]): Promise<void> {
    const changes = this.#changesOf(collection);
    for (const [id, json] of puts) changes.set(id, { json, value: JSON.parse(json) as Record<string, unknown> });
    for (const id of deletes) changes.set(id, null);
  }

  async clear(collection: DocumentCollection): Promise<void> {
    this.#cleared.add(collection.name);
    this.#changes.delete(collection.name);
  }

  commit(): void {
    for (const name of this.#cleared) this.committed.delete(name);
    for (const [name, changes] of this.#changes) {
      let documents = this.committed.get(name);
      if (!documents) this.committed.set(name, (documents = new Map()));
      for (const [id, stored] of changes) {
        if (stored) documents.set(id, stored);
        else documents.delete(id);
      }
    }
  }

  #changesOf(collection: DocumentCollection): Map<string, Stored | null> {
    let changes = this.#changes.get(collection.name);
    if (!changes) this.#changes.set(collection.name, (changes = new Map()));
    return changes;
  }
}

/** The SQL adapters' semantics in JavaScript: types never equal across (1 is not true), ranges compare one type. */
function matches(value: unknown, condition: DocumentCondition): boolean {
  switch (condition.op) {
    case 'eq':
      return equals(value, condition.value);
    case 'in':
      return condition.values.some((candidate) => equals(value, candidate));
    default: {
      const bound = condition.value;
      if (typeof value !== typeof bound) return false;
      const v = value as string | number;
      if (condition.op === 'gt') return v > bound;
      if (condition.op === 'gte') return v >= bound;
      if (condition.op === 'lt') return v < bound;
      return v <= bound;
    }
  }
}

function equals(value: unknown, expected: DocumentScalar): boolean {
  if (expected === null) return value === null || value === undefined;
  return value === expected;
}

const RANKS: Record<string, number> = { undefined: 0, boolean: 1, number: 2, string: 3 };

/** Order of field values: missing and null first, then booleans, numbers, strings, anything else. */
function compareValues(a: unknown, b: unknown): number {
  const ra = a === null ? 0 : (RANKS[typeof a] ?? 4);
  const rb = b === null ? 0 : (RANKS[typeof b] ?? 4);
  if (ra !== rb) return ra - rb;
  if (ra === 0 || ra === 4) return 0;
  const x = a as string | number;
  const y = b as string | number;
  return x < y ? -1 : x > y ? 1 : 0;
}
