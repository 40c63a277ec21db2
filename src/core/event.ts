import { uuidv7 } from './uuid-v7.js';
import { describeValue, EventValidationError, InvalidArgumentError } from './errors.js';
import { checkPlainObject, checkTimestamp, LONE_SURROGATE } from './limits.js';
import { checkSchema, validateValue, type Schema, type SchemaInput, type SchemaOutput } from './schema.js';
import { checkOptionsObject } from './checks.js';
import { splitTraceContext } from './trace-metadata.js';

/** Metadata carried by every event. Correlation and causation ids tie events to the request that caused them. */
export interface EventMetadata {
  correlationId?: string | undefined;
  causationId?: string | undefined;
  userId?: string | undefined;
  [key: string]: unknown;
}

/**
 * The envelope every read, subscription and saga sees.
 *
 * `globalPosition` is `0n` on an event that is applied but not yet committed.
 */
export interface Event<TType extends string = string, TData = unknown, TMetadata extends EventMetadata = EventMetadata> {
  eventId: string;
  eventType: TType;
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  globalPosition: bigint;
  timestamp: Date;
  schemaVersion: number;
  metadata: TMetadata;
  data: TData;
}

/** An event made by `definition.create()`, not yet applied to an aggregate. */
export interface NewEvent<TType extends string = string, TData = unknown, TMetadata extends EventMetadata = EventMetadata> {
  eventId: string;
  eventType: TType;
  timestamp: Date;
  schemaVersion: number;
  metadata: TMetadata;
  data: TData;
}

/** Options of `definition.create()`. */
export interface CreateEventOptions<TMetadata extends EventMetadata = EventMetadata> {
  /** Reuse an id when retrying, so the store recognises the retry (defaults to a random UUID). */
  eventId?: string;
  /** Checked by the definition's metadata schema, when it has one. */
  metadata?: TMetadata;
  timestamp?: Date;
}

/** Turns stored data of an older schema version into the next version's shape. */
export type Upcaster = (data: unknown) => unknown;

export interface DefineEventOptions<TMetadata extends Schema | undefined = Schema | undefined> {
  /** The current schema version (default 1). Stored rows keep the version they were written with. */
  version?: number;
  /** `{ 1: (v1) => v2, 2: (v2) => v3 }`: upcasters from each older version to the next one. */
  upcast?: Readonly<Record<number, Upcaster>>;
  /**
   * Checks the event's metadata on `create()` and on read, and types `event.metadata`. It sees the
   * whole metadata object (correlationId, causationId, userId and what the store adds too): let
   * unknown keys through (zod's `z.object`, not `z.strictObject`).
   */
  metadata?: TMetadata;
}

/** The metadata type of events whose metadata schema is `M`: the standard keys and the schema's. */
export type MetadataOf<M extends Schema | undefined> = M extends Schema ? EventMetadata & SchemaOutput<M> : EventMetadata;

/** What `create()` takes as metadata for a metadata schema `M`. */
export type MetadataInput<M extends Schema | undefined> = M extends Schema ? EventMetadata & SchemaInput<M> : EventMetadata;

/** `create()`'s options argument: optional, unless the metadata schema requires keys. */
export type CreateArgs<M extends Schema | undefined> = {} extends MetadataInput<M>
  ? [options?: CreateEventOptions<MetadataInput<M>>]
  : [options: CreateEventOptions<MetadataInput<M>> & { metadata: MetadataInput<M> }];

/**
 * A typed event definition: its type name, data schema (zod or another Standard Schema v1 schema),
 * version, upcasters and optional metadata schema.
 */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends Schema = Schema,
  TMetadata extends Schema | undefined = Schema | undefined,
> {
  readonly type: TType;
  readonly schema: TSchema;
  /** The metadata schema, when the definition has one. */
  readonly metadataSchema: TMetadata;
  readonly version: number;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /**
   * Validates `data` (and metadata) against the schemas and makes a new event. Throws
   * `EventValidationError`. Options are required when the metadata schema requires keys.
   */
  create(data: SchemaInput<TSchema>, ...options: CreateArgs<TMetadata>): NewEvent<TType, SchemaOutput<TSchema>, MetadataOf<TMetadata>>;
  /** Type guard: is `event` of this type? */
  is<E extends { eventType: string }>(event: E): event is E & Event<TType, SchemaOutput<TSchema>, MetadataOf<TMetadata>>;
}

/** The envelope type of a definition: `EventOf<typeof UserRegistered>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S, infer M> ? Event<T, SchemaOutput<S>, MetadataOf<M>> : never;

/** The data type of a definition. */
export type EventData<D> = D extends EventDefinition<string, infer S, infer _M> ? SchemaOutput<S> : never;

// Events whose data passed their definition's schema, with that definition: save() then neither
// validates again nor needs the type registered by hand.
const origins = new WeakMap<object, EventDefinition>();

/** @internal the definition that validated this event's data, if any. */
export function definitionOf(event: object): EventDefinition | undefined {
  return origins.get(event);
}

/** @internal marks an event as carrying data that passed `definition`'s schema. */
export function markValidated(event: object, definition: EventDefinition): void {
  origins.set(event, definition);
}

const TYPE_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:-]{0,199}$/;

/**
 * Defines an event type with a schema for its data: zod's, or any Standard Schema v1 schema
 * (valibot, arktype…). Zod schemas also get their Dates and bigints revived on read.
 *
 * @example
 * const UserRegistered = defineEvent('UserRegistered', z.object({ username: z.string(), email: z.email() }));
 * const event = UserRegistered.create({ username: 'ann', email: 'ann@example.com' });
 * // Typed, validated metadata:
 * const CartOpened = defineEvent('CartOpened', z.object({ cartId: z.string() }), {
 *   metadata: z.object({ clientId: z.string() }),
 * });
 * CartOpened.create({ cartId: 'c-1' }, { metadata: { clientId: 'web' } });
 */
export function defineEvent<const TType extends string, TSchema extends Schema, TMetadata extends Schema | undefined = undefined>(
  type: TType,
  schema: TSchema,
  options: DefineEventOptions<TMetadata> = {},
): EventDefinition<TType, TSchema, TMetadata> {
  if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
    throw new InvalidArgumentError('event type', `${JSON.stringify(type)} must start with a letter and hold letters, digits, _ . : -`);
  }
  checkSchema('schema', `defineEvent(${JSON.stringify(type)})`, schema);
  checkOptionsObject('defineEvent options', options);
  const metadataSchema = options.metadata;
  if (metadataSchema !== undefined) checkSchema('metadata', `the metadata schema of ${type}`, metadataSchema);
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1) {
    throw new InvalidArgumentError('version', `must be a positive integer, got ${describeValue(version)}`);
  }
  const upcasters = { ...(options.upcast ?? {}) };
  for (let v = 1; v < version; v++) {
    if (typeof upcasters[v] !== 'function') {
      throw new InvalidArgumentError('upcast', `${type} is at version ${version} but has no upcaster from version ${v}`);
    }
  }
  const definition: EventDefinition<TType, TSchema, TMetadata> = {
    type,
    schema,
    metadataSchema: metadataSchema as TMetadata,
    version,
    upcasters,
    create(data, ...rest) {
      const createOptions: CreateEventOptions = rest[0] ?? {};
      checkOptionsObject('create() options', createOptions);
      const result = validateValue(schema, data, `${type} data`);
      if (!result.success) throw new EventValidationError(type, result.issues);
      const eventId = createOptions.eventId ?? uuidv7();
      checkId('eventId', eventId);
      if (createOptions.metadata !== undefined) checkPlainObject('metadata', createOptions.metadata);
      if (createOptions.timestamp !== undefined) checkTimestamp('timestamp', createOptions.timestamp);
      const metadata = validMetadata(definition, { ...(createOptions.metadata ?? {}) });
      const event = {
        eventId,
        eventType: type,
        timestamp: createOptions.timestamp ?? new Date(),
        schemaVersion: version,
        metadata,
        data: result.data,
      } as NewEvent<TType, SchemaOutput<TSchema>, MetadataOf<TMetadata>>;
      origins.set(event, definition);
      return event;
    },
    is<E extends { eventType: string }>(event: E): event is E & Event<TType, SchemaOutput<TSchema>, MetadataOf<TMetadata>> {
      return event?.eventType === type;
    },
  };
  return definition;
}

/**
 * @internal the metadata an event of `definition` stores: as given when the definition has no
 * metadata schema, else checked by it, the schema's output over the given keys (so the standard
 * keys and those the store adds stay). Throws `EventValidationError`.
 */
export function validMetadata(definition: EventDefinition, metadata: EventMetadata): EventMetadata {
  const schema = definition.metadataSchema;
  if (schema === undefined) return metadata;
  // The trace context the store adds is not the schema's business (a strict schema would refuse it).
  const result = validateValue(schema, splitTraceContext(metadata).rest, `${definition.type} metadata`);
  if (!result.success) throw new EventValidationError(definition.type, result.issues, 'metadata');
  const output = result.data;
  return typeof output === 'object' && output !== null ? { ...metadata, ...(output as EventMetadata) } : metadata;
}

/** Longest id (aggregate id, event id, subscription id) the stores accept. */
export const MAX_ID_LENGTH = 255;

/** @internal throws InvalidArgumentError unless `id` is a non-empty string of at most MAX_ID_LENGTH chars without NUL. */
export function checkId(name: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError(name, 'must be a non-empty string');
  }
  if (id.length > MAX_ID_LENGTH) {
    throw new InvalidArgumentError(name, `must be at most ${MAX_ID_LENGTH} characters, got ${id.length}`);
  }
  if (id.includes('\u0000')) throw new InvalidArgumentError(name, 'must not contain NUL characters');
  // A lone UTF-16 surrogate has no UTF-8 form: SQLite would alter it and PostgreSQL merge ids.
  if (LONE_SURROGATE.test(id)) throw new InvalidArgumentError(name, 'must not contain lone UTF-16 surrogates');
}
