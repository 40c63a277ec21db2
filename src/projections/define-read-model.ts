import type { z } from 'zod';
import { describeValue, InvalidArgumentError } from '../core/errors.js';
import type { Event, EventDefinition, EventOf } from '../core/event.js';
import { checkSchema, isZodSchema, type Schema, type SchemaInput, type SchemaOutput } from '../core/schema.js';
import { DOCUMENT_FIELD } from '../store/documents.js';

/** A read model's name: a lowercase identifier, short enough to name its table and indexes. */
const READ_MODEL_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** What `defineReadModel` takes. */
export interface ReadModelDefinition<S extends Schema, D extends readonly EventDefinition[]> {
  /** Names the read model: its table, and the checkpoint of its projection. A lowercase identifier. */
  name: string;
  /**
   * Every document is checked against it on write; a document that fails is the projection's
   * error. zod's, or any Standard Schema v1 schema (with zod, Dates and bigints come back typed,
   * and filters may name only the object's fields).
   */
  schema: S;
  /** The events it reads (registered with the store it runs on). */
  events: D;
  /** Which document an event changes (default: `event.aggregateId`); any key, for multi-stream models. */
  documentId?: (event: EventOf<D[number]>) => string;
  /** The next document from the current one (null at first); null deletes it. May be async. */
  evolve: (doc: SchemaOutput<S> | null, event: EventOf<D[number]>) => SchemaInput<S> | null | Promise<SchemaInput<S> | null>;
  /** Top-level fields to index (expression indexes on SQLite and PostgreSQL), for `find`'s filters. */
  indexes?: readonly (keyof SchemaOutput<S> & string)[];
}

/**
 * Documents kept by a projection: run it with `store.projection(model)`, read it with
 * `store.documents(model)`. `Doc` is the document type, `E` the union of the events it reads.
 */
export interface ReadModel<Doc = unknown, E extends Event = Event> {
  readonly kind: 'read-model';
  readonly name: string;
  readonly schema: Schema;
  readonly events: readonly EventDefinition[];
  readonly eventTypes: readonly string[];
  readonly indexes: readonly string[];
  /**
   * The top-level fields of the schema with the JSON type each holds (when the schema says), when
   * it is an object schema; filters may name only these.
   */
  readonly fields: ReadonlyMap<string, FieldKind> | null;
  documentId(event: E): string;
  evolve(doc: Doc | null, event: E): unknown;
}

/** The JSON type a field always holds (or null, or nothing), as far as its schema tells. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'other';

/** The document type of a read model: `DocumentOf<typeof CartDetails>`. */
export type DocumentOf<M> = M extends ReadModel<infer Doc, Event> ? Doc : never;

/**
 * Defines a read model: documents kept by a projection, in a table of their own (JSON on SQLite,
 * jsonb on PostgreSQL, objects on the memory store). `evolve` folds each event into its document.
 *
 * @example
 * const CartDetails = defineReadModel({
 *   name: 'cart_details',
 *   schema: z.object({ status: z.string(), items: z.number() }),
 *   events: [CartOpened, ItemAdded],
 *   evolve: (doc, event) =>
 *     CartOpened.is(event) ? { status: 'open', items: 0 } : doc && { ...doc, items: doc.items + 1 },
 *   indexes: ['status'],
 * });
 * store.projection(CartDetails).start();
 * await store.documents(CartDetails).find({ where: { status: 'open' } });
 */
export function defineReadModel<S extends Schema, const D extends readonly EventDefinition[]>(
  definition: ReadModelDefinition<S, D>,
): ReadModel<SchemaOutput<S>, EventOf<D[number]>> {
  if (typeof definition !== 'object' || definition === null) throw new InvalidArgumentError('read model', 'must be an object');
  const { name, schema, events, evolve } = definition;
  if (typeof name !== 'string' || !READ_MODEL_NAME.test(name)) {
    throw new InvalidArgumentError('read model name', `${describeValue(name)} must be a lowercase identifier ([a-z_][a-z0-9_]*, at most 48 characters)`);
  }
  checkSchema('schema', `read model ${name}`, schema);
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e?.type !== 'string')) {
    throw new InvalidArgumentError('events', `read model ${name} needs at least one event definition`);
  }
  if (typeof evolve !== 'function') throw new InvalidArgumentError('evolve', `read model ${name} needs an evolve function`);
  const documentId = definition.documentId ?? ((event: Event) => event.aggregateId);
  if (typeof documentId !== 'function') throw new InvalidArgumentError('documentId', 'must be a function');
  const fields = topLevelFields(schema);
  const indexes = [...(definition.indexes ?? [])];
  if (!Array.isArray(definition.indexes ?? [])) throw new InvalidArgumentError('indexes', 'must be an array of field names');
  for (const field of indexes) checkField('indexes', field, fields);
  if (new Set(indexes).size !== indexes.length) throw new InvalidArgumentError('indexes', 'names a field twice');
  return {
    kind: 'read-model',
    name,
    schema,
    events: [...events],
    eventTypes: [...new Set(events.map((e) => e.type))],
    indexes,
    fields,
    documentId: documentId as (event: Event) => string,
    evolve: evolve as (doc: unknown, event: Event) => unknown,
  } as ReadModel<SchemaOutput<S>, EventOf<D[number]>>;
}

/** True when `value` is a read model (`store.projection()` takes read models and projections). */
export function isReadModel(value: unknown): value is ReadModel {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'read-model';
}

/**
 * Throws `InvalidArgumentError` unless `field` is an identifier (so it may be quoted into SQL) and,
 * when the schema lists its fields, one of them.
 * @internal
 */
export function checkField(argument: string, field: unknown, fields: ReadonlyMap<string, FieldKind> | null): asserts field is string {
  if (typeof field !== 'string' || !DOCUMENT_FIELD.test(field)) {
    throw new InvalidArgumentError(argument, `${describeValue(field)} is not a field name (letters, digits and _, at most 63)`);
  }
  if (fields && !fields.has(field)) throw new InvalidArgumentError(argument, `${describeValue(field)} is not a field of the document schema`);
}

/** The keys of a zod object schema (through optional/nullable/default wrappers) and their JSON types; null for other schemas. */
function topLevelFields(schema: Schema): ReadonlyMap<string, FieldKind> | null {
  if (!isZodSchema(schema)) return null;
  const def = unwrap(defOf(schema));
  if (def.type !== 'object' || !def.shape) return null;
  return new Map(Object.entries(def.shape).map(([key, field]) => [key, kindOf(unwrap(defOf(field as z.ZodType)))]));
}

function unwrap(def: Def): Def {
  let inner = def;
  for (let depth = 0; depth < 10 && inner.innerType; depth++) inner = defOf(inner.innerType);
  return inner;
}

function kindOf(def: Def): FieldKind {
  switch (def.type) {
    case 'string':
    case 'enum':
    case 'date': // stored as its ISO string
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'other';
  }
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod?: { def?: Def } })._zod?.def ?? {};
