import type { EventRecord, NewEventRecord } from './event-record.js';
import { describeIssues, describeValue, EventDeserializationError, EventValidationError, InvalidArgumentError } from './errors.js';
import { validMetadata, type Event, type EventDefinition, type EventMetadata, type NewEvent } from './event.js';
import { checkPlainObject, checkStorableJson, checkTimestamp } from './limits.js';
import { isZodSchema, validateValue, type Schema } from './schema.js';
import { compileReviver, type Reviver } from './json-reviver.js';
import { splitTraceContext } from './trace-metadata.js';

/** @internal a definition with what encoding and decoding need, compiled once. */
export interface CompiledDefinition {
  definition: EventDefinition;
  /** Revives the Dates and bigints of a zod data schema; null for other schemas and those without. */
  reviver: Reviver | null;
  /** The same for the metadata schema. */
  metadataReviver: Reviver | null;
}

export function compileDefinition(definition: EventDefinition): CompiledDefinition {
  return {
    definition,
    reviver: reviverOf(definition.schema),
    metadataReviver: definition.metadataSchema === undefined ? null : reviverOf(definition.metadataSchema),
  };
}

function reviverOf(schema: Schema): Reviver | null {
  return isZodSchema(schema) ? compileReviver(schema) : null;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** JSON text of a value every adapter stores alike; bigints become decimal strings. */
export function toJson(value: unknown, what: string): string {
  const json = stringify(value, what);
  checkStorableJson(what, json, value);
  return json;
}

/**
 * JSON text of a value with bigints as decimal strings, as the stores write it (without
 * `toJson`'s storability check). Throws `InvalidArgumentError` naming `what` when it has none.
 */
export function stringify(value: unknown, what: string): string {
  try {
    // The replacer costs; try the plain path first, and only a bigint makes it throw.
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    try {
      return JSON.stringify(value, bigintReplacer) ?? 'null';
    } catch {
      throw new InvalidArgumentError(what, `is not serializable to JSON (${(error as Error).message})`);
    }
  }
}

const EMPTY_METADATA = '{}';

function metadataJson(metadata: EventMetadata): string {
  for (const _ in metadata) return toJson(metadata, 'metadata');
  return EMPTY_METADATA;
}

/**
 * The data an appended event stores: its own when create() validated it, else what its registered
 * definition's schema makes of it (defaults applied, unknown keys stripped). Throws
 * `EventValidationError`, or `InvalidArgumentError` when the type has no definition or the event's
 * schemaVersion is not the definition's (reads would upcast data already in the current shape).
 */
export function appendedData(event: NewEvent | Event, definition: EventDefinition | undefined, compiled: CompiledDefinition | undefined): unknown {
  const current = definition ?? compiled?.definition;
  if (!current) throw new InvalidArgumentError('event', `${describeValue(event.eventType)} has no registered definition`);
  if (event.schemaVersion !== current.version) {
    throw new InvalidArgumentError(
      'schemaVersion',
      `${event.eventType} is at schema version ${current.version}; an appended event must carry it, got ${describeValue(event.schemaVersion)}`,
    );
  }
  if (definition) return event.data;
  const result = validateValue(current.schema, event.data, 'event data');
  if (!result.success) throw new EventValidationError(event.eventType, result.issues);
  return result.data;
}

/**
 * The metadata an appended event stores: its own, checked by its definition's metadata schema
 * unless create() did (a handler context or the store may have added keys since, which the
 * schema let through then). Throws `EventValidationError`.
 */
export function appendedMetadata(event: NewEvent | Event, definition: EventDefinition | undefined, compiled: CompiledDefinition | undefined): EventMetadata {
  const metadata = event.metadata ?? {};
  checkPlainObject('metadata', metadata);
  const current = definition ?? compiled?.definition;
  if (definition || current?.metadataSchema === undefined) return metadata;
  return validMetadata(current, metadata);
}

/** Serializes an event for the adapter, with the data and metadata `appendedData` and `appendedMetadata` returned (which checked them). */
export function encodeEvent(event: NewEvent | Event, data: unknown, metadata: EventMetadata): NewEventRecord {
  checkTimestamp('timestamp', event.timestamp);
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    timestamp: event.timestamp,
    metadata: metadataJson(metadata),
    data: toJson(data, 'event data'),
  };
}

export interface DecodeOptions {
  /** Validate stored data against the schema on read (default true). */
  validate: boolean;
}

/** Turns a stored record into the envelope, upcasting old versions. Throws EventDeserializationError. */
export function decodeEvent(record: EventRecord, compiled: CompiledDefinition, options: DecodeOptions): Event {
  const { definition, reviver, metadataReviver } = compiled;
  let data: unknown;
  let metadata: EventMetadata;
  try {
    data = JSON.parse(record.data);
    metadata = record.metadata === EMPTY_METADATA ? {} : (JSON.parse(record.metadata) as EventMetadata);
  } catch (error) {
    throw new EventDeserializationError(record.globalPosition, record.eventType, 'not valid JSON', { cause: error });
  }
  if (record.schemaVersion !== definition.version) {
    data = upcast(record, definition, data);
  }
  if (reviver) data = reviver(data);
  if (metadataReviver) metadata = metadataReviver(metadata) as EventMetadata;
  if (options.validate) {
    const result = validateValue(definition.schema, data, 'stored data');
    if (!result.success) throw failsSchema(record, 'its schema', result.issues, 'data');
    data = result.data;
    if (definition.metadataSchema !== undefined) {
      // Without the stored trace context: it is the store's, not the schema's (see trace-metadata.ts).
      const checked = validateValue(definition.metadataSchema, splitTraceContext(metadata).rest, 'stored metadata');
      if (!checked.success) throw failsSchema(record, 'its metadata schema', checked.issues, 'metadata');
      if (typeof checked.data === 'object' && checked.data !== null) metadata = { ...metadata, ...(checked.data as EventMetadata) };
    }
  }
  return envelope(record, definition.version, metadata, data);
}

function failsSchema(
  record: EventRecord,
  schema: string,
  issues: EventValidationError['issues'],
  part: EventValidationError['part'],
): EventDeserializationError {
  return new EventDeserializationError(record.globalPosition, record.eventType, `fails ${schema}${describeIssues(issues)}`, {
    cause: new EventValidationError(record.eventType, issues, part),
  });
}

/** The envelope of a stored record, with its schema version, metadata and data as decoded. */
export function envelope(record: EventRecord, schemaVersion: number, metadata: EventMetadata, data: unknown): Event {
  return {
    eventId: record.eventId,
    eventType: record.eventType,
    aggregateId: record.aggregateId,
    aggregateType: record.aggregateType,
    aggregateVersion: record.aggregateVersion,
    globalPosition: record.globalPosition,
    timestamp: record.timestamp,
    schemaVersion,
    metadata,
    data,
  };
}

/** The envelope of a record whose type has no definition (`unknownEvents: 'raw'`): data undecoded. */
export function decodeRaw(record: EventRecord): Event {
  let metadata: EventMetadata;
  let data: unknown;
  try {
    metadata = JSON.parse(record.metadata) as EventMetadata;
    data = JSON.parse(record.data);
  } catch (error) {
    throw new EventDeserializationError(record.globalPosition, record.eventType, 'not valid JSON', { cause: error });
  }
  return envelope(record, record.schemaVersion, metadata, data);
}

function upcast(record: EventRecord, definition: EventDefinition, data: unknown): unknown {
  if (record.schemaVersion > definition.version || record.schemaVersion < 1) {
    throw new EventDeserializationError(
      record.globalPosition,
      record.eventType,
      `stored at schema version ${record.schemaVersion}, but the definition is at version ${definition.version}`,
    );
  }
  let value = data;
  for (let v = record.schemaVersion; v < definition.version; v++) {
    const step = definition.upcasters[v];
    if (!step) {
      throw new EventDeserializationError(record.globalPosition, record.eventType, `no upcaster from version ${v}`);
    }
    try {
      value = step(value);
    } catch (error) {
      throw new EventDeserializationError(record.globalPosition, record.eventType, `upcaster from version ${v} threw`, {
        cause: error,
      });
    }
  }
  return value;
}
