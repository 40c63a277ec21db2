import { describeValue, InvalidArgumentError } from '../core/errors.js';
import type { Event, EventMetadata } from '../core/event.js';
import { stringify } from '../core/serializer.js';

/**
 * The JSON form of an event envelope: `globalPosition` as a decimal string (a `bigint`, which
 * `JSON.stringify` refuses), `timestamp` as an ISO 8601 string, and data and metadata as the
 * store keeps them (Dates as ISO strings, bigints as decimal strings).
 */
export interface EventJson<TType extends string = string> {
  eventId: string;
  eventType: TType;
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  globalPosition: string;
  timestamp: string;
  schemaVersion: number;
  metadata: EventMetadata;
  data: unknown;
}

/**
 * An event envelope as a JSON-safe object, ready for `JSON.stringify` or a framework's reply.
 *
 * @example
 * const events = await store.loadEvents(orderId);
 * response.end(JSON.stringify(events.map(eventToJson)));
 */
export function eventToJson<TType extends string>(event: Event<TType>): EventJson<TType> {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    aggregateId: event.aggregateId,
    aggregateType: event.aggregateType,
    aggregateVersion: event.aggregateVersion,
    globalPosition: event.globalPosition.toString(),
    timestamp: event.timestamp.toISOString(),
    schemaVersion: event.schemaVersion,
    metadata: plainJson(event.metadata, 'metadata') as EventMetadata,
    data: plainJson(event.data, 'event data'),
  };
}

const POSITION = /^(0|[1-9][0-9]*)$/;

/**
 * The envelope back from its JSON form (an object, or the JSON text): `globalPosition` a
 * `bigint`, `timestamp` a `Date`. `data` stays as JSON: check it with your event definition's
 * schema (`Definition.schema.parse(event.data)`) where you need its type. A value that is not an
 * event's JSON form throws `InvalidArgumentError` naming the field.
 *
 * @example
 * const response = await fetch(`${base}/orders/${id}/events`);
 * const events = ((await response.json()) as unknown[]).map((json) => eventFromJson(json));
 */
export function eventFromJson(json: unknown): Event<string, unknown> {
  const value = typeof json === 'string' ? parseText(json) : json;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('event JSON', `expected an object, got ${describeValue(value)}`);
  }
  const fields = value as Record<string, unknown>;
  const position = fields['globalPosition'];
  if (typeof position !== 'string' || !POSITION.test(position)) {
    throw invalid('globalPosition', position, 'a decimal string');
  }
  const timestampText = fields['timestamp'];
  const timestamp = typeof timestampText === 'string' ? new Date(timestampText) : undefined;
  if (timestamp === undefined || Number.isNaN(timestamp.getTime())) throw invalid('timestamp', timestampText, 'an ISO 8601 string');
  const metadata = fields['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw invalid('metadata', metadata, 'an object');
  if (!('data' in fields)) throw invalid('data', undefined, 'present');
  return {
    eventId: text(fields, 'eventId'),
    eventType: text(fields, 'eventType'),
    aggregateId: text(fields, 'aggregateId'),
    aggregateType: text(fields, 'aggregateType'),
    aggregateVersion: count(fields, 'aggregateVersion'),
    globalPosition: BigInt(position),
    timestamp,
    schemaVersion: count(fields, 'schemaVersion'),
    metadata: metadata as EventMetadata,
    data: fields['data'],
  };
}

function parseText(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new InvalidArgumentError('event JSON', `${describeValue(json)} is not JSON`);
  }
}

function text(fields: Record<string, unknown>, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') throw invalid(key, value, 'a non-empty string');
  return value;
}

function count(fields: Record<string, unknown>, key: string): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(key, value, 'a whole number ≥ 0');
  return value;
}

function invalid(key: string, value: unknown, expected: string): InvalidArgumentError {
  return new InvalidArgumentError('event JSON', `${key} must be ${expected}, got ${describeValue(value)}`);
}

/** Data and metadata as stored: what JSON.stringify makes of them, with bigints as decimal strings. */
function plainJson(value: unknown, what: string): unknown {
  return JSON.parse(stringify(value, what)) as unknown;
}
