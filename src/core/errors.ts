/** Every error code the library throws. A caller branches on these, never on message text. */
export const ERROR_CODES = [
  'CONCURRENCY_CONFLICT',
  'DUPLICATE_EVENT',
  'EVENT_VALIDATION',
  'UNKNOWN_EVENT_TYPE',
  'EVENT_DESERIALIZATION',
  'MISSING_EVENT_HANDLER',
  'AGGREGATE_NOT_FOUND',
  'AGGREGATE_TYPE_MISMATCH',
  'STORE_CLOSED',
  'INVALID_ARGUMENT',
  'MISSING_DRIVER',
  'CONNECTION',
  'SUBSCRIPTION',
  'GROUP_PARTITIONS_CHANGED',
  'STREAM_OVERFLOW',
  'SAGA_UNKNOWN',
  'SAGA_INPUT',
  'SAGA_DEFINITION',
  'SAGA_STOPPED',
  'SAGA_TIMEOUT',
  'DOCUMENT_VALIDATION',
  'READ_MODEL_TIMEOUT',
  'IMPORT_CONFLICT',
  'IMPORT_FORMAT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for('eventuali.error');

/**
 * Base class of every error eventuali throws.
 *
 * @example
 * try { await store.save(order) } catch (e) {
 *   if (isEventualiError(e, 'CONCURRENCY_CONFLICT')) retry();
 * }
 */
export class EventualiError extends Error {
  readonly code: ErrorCode;
  /** @internal marks instances across duplicate copies of the package. */
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * True when `error` is an eventuali error (optionally with the given code). Works across
 * duplicate copies of the package, where `instanceof` does not.
 */
export function isEventualiError(error: unknown, code?: ErrorCode): error is EventualiError {
  if (typeof error !== 'object' || error === null) return false;
  if (!(BRAND in error) || typeof (error as { code?: unknown }).code !== 'string') return false;
  return code === undefined || (error as EventualiError).code === code;
}

/** The aggregate moved on since it was loaded: another writer appended first. Nothing was written. */
export class ConcurrencyError extends EventualiError {
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number | 'any' | 'no-stream',
    readonly actualVersion: number,
    options?: { cause?: unknown },
  ) {
    super(
      'CONCURRENCY_CONFLICT',
      `Aggregate ${JSON.stringify(aggregateId)} is at version ${actualVersion}, expected ${String(expectedVersion)}`,
      options,
    );
  }
}

/** An event id that is already stored was appended again at another place. Nothing was written. */
export class DuplicateEventError extends EventualiError {
  constructor(readonly eventId: string, options?: { cause?: unknown }) {
    super('DUPLICATE_EVENT', `Event id ${eventId} is already stored elsewhere in the log`, options);
  }
}

/**
 * One reason a value failed its schema: zod's issue as zod gives it; another library's (valibot,
 * arktype…) as plain data: its message, its path as keys, its code when it has one.
 */
export interface ValidationIssue {
  readonly message: string;
  /** Keys from the root to the failing value (`[]` for the root). */
  readonly path: PropertyKey[];
  /** The library's issue code, when it gives one (zod's `too_small`…). */
  readonly code?: string | undefined;
}

/** " at a.b: message" of the first issue, for error messages. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.map(String).join('.')}` : '';
  return `${where}: ${first?.message ?? 'invalid'}`;
}

/** Event data (or metadata: `part`) failed its definition's schema. `issues` are the schema library's. */
export class EventValidationError extends EventualiError {
  constructor(
    readonly eventType: string,
    readonly issues: ValidationIssue[],
    readonly part: 'data' | 'metadata' = 'data',
  ) {
    super('EVENT_VALIDATION', `Invalid ${eventType} ${part}${describeIssues(issues)}`);
  }
}

/** A stored event type has no registered definition (open the store with `unknownEvents: 'raw'` to read it undecoded). */
export class UnknownEventTypeError extends EventualiError {
  constructor(readonly eventType: string, readonly globalPosition?: bigint) {
    super(
      'UNKNOWN_EVENT_TYPE',
      `No definition is registered for event type ${JSON.stringify(eventType)}` +
        (globalPosition === undefined ? '' : ` (stored at position ${globalPosition})`),
    );
  }
}

/** A stored row no longer decodes (bad JSON, data that fails its schema, a missing upcaster). */
export class EventDeserializationError extends EventualiError {
  constructor(
    readonly globalPosition: bigint,
    readonly eventType: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('EVENT_DESERIALIZATION', `Stored ${eventType} at position ${globalPosition} does not decode: ${reason}`, options);
  }
}

/** An aggregate applied an event it has no `apply<EventType>` method for (or a decider's stream holds an event it does not list). */
export class MissingEventHandlerError extends EventualiError {
  constructor(readonly aggregateType: string, readonly eventType: string, message = `${aggregateType} has no method apply${eventType}(event)`) {
    super('MISSING_EVENT_HANDLER', message);
  }
}

/** `update()` (or another call that needs it) found no events for the aggregate. */
export class AggregateNotFoundError extends EventualiError {
  constructor(readonly aggregateType: string, readonly aggregateId: string) {
    super('AGGREGATE_NOT_FOUND', `${aggregateType} ${JSON.stringify(aggregateId)} does not exist`);
  }
}

/** The id belongs to an aggregate of another type. */
export class AggregateTypeMismatchError extends EventualiError {
  constructor(readonly aggregateId: string, readonly expectedType: string, readonly actualType: string) {
    super(
      'AGGREGATE_TYPE_MISMATCH',
      `Aggregate ${JSON.stringify(aggregateId)} belongs to aggregate type ${JSON.stringify(actualType)}, not ${JSON.stringify(expectedType)}`,
    );
  }
}

/** The store (or subscription) was closed. */
export class StoreClosedError extends EventualiError {
  constructor(what = 'event store') {
    super('STORE_CLOSED', `The ${what} is closed`);
  }
}

/**
 * @internal a value as message text that never throws: strings quoted, objects as JSON, and
 * values that neither `String()` nor JSON can print (a null-prototype object) by their type.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    // a cycle, a bigint inside, or a throwing toJSON: fall through
  }
  return Object.getPrototypeOf(value) === null ? 'an object without a prototype' : `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'value'}`;
}

/** A caller passed a value the API does not accept; the message names the argument. */
export class InvalidArgumentError extends EventualiError {
  constructor(readonly argument: string, message: string) {
    super('INVALID_ARGUMENT', `Invalid ${argument}: ${message}`);
  }
}

/** The database driver for the URL is not installed. */
export class MissingDriverError extends EventualiError {
  constructor(readonly packageName: string, options?: { cause?: unknown }) {
    super('MISSING_DRIVER', `This store needs the "${packageName}" package: npm install ${packageName}`, options);
  }
}

/** The database could not be reached or dropped the connection. The call may or may not have taken effect. */
export class ConnectionError extends EventualiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONNECTION', message, options);
  }
}

/**
 * An imported event does not fit the store: another event holds its position, its id or its
 * stream version, or the store holds events that are not from the file. Nothing of its batch was
 * written.
 */
export class ImportConflictError extends EventualiError {
  constructor(
    readonly globalPosition: bigint,
    readonly eventId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('IMPORT_CONFLICT', `Cannot import event ${eventId} at position ${globalPosition}: ${reason}`, options);
  }
}

/** A line of an export file is not an exported event (or header); `line` counts from 1. Nothing of its batch was written. */
export class ImportFormatError extends EventualiError {
  constructor(readonly line: number, readonly reason: string) {
    super('IMPORT_FORMAT', `Line ${line} of the import is not an exported event: ${reason}`);
  }
}
