import { uuidv7 } from './uuid-v7.js';
import type { z } from 'zod';
import { describeValue, EventValidationError, InvalidArgumentError } from './errors.js';
import { checkPlainObject, checkTimestamp, LONE_SURROGATE } from './limits.js';
import { safeParseData } from './parse-data.js';
import { checkOptionsObject } from './checks.js';
import { unsupportedJsonType } from './json-reviver.js';

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
export interface Event<TType extends string = string, TData = unknown> {
  eventId: string;
  eventType: TType;
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  globalPosition: bigint;
  timestamp: Date;
  schemaVersion: number;
  metadata: EventMetadata;
  data: TData;
}

/** An event made by `definition.create()`, not yet applied to an aggregate. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  eventId: string;
  eventType: TType;
  timestamp: Date;
  schemaVersion: number;
  metadata: EventMetadata;
  data: TData;
}

/** Options of `definition.create()`. */
export interface CreateEventOptions {
  /** Reuse an id when retrying, so the store recognises the retry (defaults to a random UUID). */
  eventId?: string;
  metadata?: EventMetadata;
  timestamp?: Date;
}

/** Turns stored data of an older schema version into the next version's shape. */
export type Upcaster = (data: unknown) => unknown;

export interface DefineEventOptions {
  /** The current schema version (default 1). Stored rows keep the version they were written with. */
  version?: number;
  /** `{ 1: (v1) => v2, 2: (v2) => v3 }`: upcasters from each older version to the next one. */
  upcast?: Readonly<Record<number, Upcaster>>;
}

/** A typed event definition: its type name, zod schema, version and upcasters. */
export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly type: TType;
  readonly schema: TSchema;
  readonly version: number;
  readonly upcasters: Readonly<Record<number, Upcaster>>;
  /** Validates `data` against the schema and makes a new event. Throws `EventValidationError`. */
  create(data: z.input<TSchema>, options?: CreateEventOptions): NewEvent<TType, z.output<TSchema>>;
  /** Type guard: is `event` of this type? */
  is<E extends { eventType: string }>(event: E): event is E & Event<TType, z.output<TSchema>>;
}

/** The envelope type of a definition: `EventOf<typeof UserRegistered>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? Event<T, z.output<S>> : never;

/** The data type of a definition. */
export type EventData<D> = D extends EventDefinition<string, infer S> ? z.output<S> : never;

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
 * Defines an event type with a zod schema.
 *
 * @example
 * const UserRegistered = defineEvent('UserRegistered', z.object({ username: z.string(), email: z.email() }));
 * const event = UserRegistered.create({ username: 'ann', email: 'ann@example.com' });
 */
export function defineEvent<const TType extends string, TSchema extends z.ZodType>(
  type: TType,
  schema: TSchema,
  options: DefineEventOptions = {},
): EventDefinition<TType, TSchema> {
  if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
    throw new InvalidArgumentError('event type', `${JSON.stringify(type)} must start with a letter and hold letters, digits, _ . : -`);
  }
  if (!schema || typeof (schema as { safeParse?: unknown }).safeParse !== 'function') {
    throw new InvalidArgumentError('schema', `defineEvent(${JSON.stringify(type)}) needs a zod schema`);
  }
  const unsupported = unsupportedJsonType(schema);
  if (unsupported) {
    throw new InvalidArgumentError(
      'schema',
      `${type} uses ${unsupported}, which does not survive JSON storage; describe the stored JSON shape instead`,
    );
  }
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
  const definition: EventDefinition<TType, TSchema> = {
    type,
    schema,
    version,
    upcasters,
    create(data, createOptions = {}) {
      checkOptionsObject('create() options', createOptions);
      const result = safeParseData(schema, data, `${type} data`);
      if (!result.success) throw new EventValidationError(type, result.error.issues);
      const eventId = createOptions.eventId ?? uuidv7();
      checkId('eventId', eventId);
      if (createOptions.metadata !== undefined) checkPlainObject('metadata', createOptions.metadata);
      if (createOptions.timestamp !== undefined) checkTimestamp('timestamp', createOptions.timestamp);
      const event: NewEvent<TType, z.output<TSchema>> = {
        eventId,
        eventType: type,
        timestamp: createOptions.timestamp ?? new Date(),
        schemaVersion: version,
        metadata: { ...(createOptions.metadata ?? {}) },
        data: result.data,
      };
      origins.set(event, definition);
      return event;
    },
    is<E extends { eventType: string }>(event: E): event is E & Event<TType, z.output<TSchema>> {
      return event?.eventType === type;
    },
  };
  return definition;
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
