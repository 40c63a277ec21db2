import { describeValue, ImportFormatError } from '../core/errors.js';
import { MAX_AGGREGATE_VERSION, MAX_GLOBAL_POSITION, checkStorableJson } from '../core/limits.js';
import { MAX_ID_LENGTH } from '../core/event.js';
import type { EventRecord } from '../store/event-log.js';

/**
 * The export file's lines (NDJSON): a header, then one event per line with every envelope field,
 * `globalPosition` as a decimal string, `timestamp` in ISO 8601, and `metadata` and `data` as the
 * store keeps them (Dates as ISO strings, bigints as decimal strings): the shape of `eventToJson`
 * in `eventuali/http`.
 */

/** The `format` of an export's header line. */
export const EXPORT_FORMAT = 'eventuali-events';
/** The header's `version`: bumped if a line's shape ever changes. */
export const EXPORT_FORMAT_VERSION = 1;

/** The first line of an export. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_FORMAT_VERSION;
  /** The events follow this position (`"0"`: from the start). */
  from: string;
  /** The store's position when the export began; the export stops there. */
  to: string;
  exportedAt: string;
}

export function headerLine(from: bigint, to: bigint): string {
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    from: from.toString(),
    to: to.toString(),
    exportedAt: new Date().toISOString(),
  };
  return JSON.stringify(header);
}

/** One event as a line; data and metadata are the stored JSON text, copied, not parsed again. */
export function eventLine(record: EventRecord): string {
  return (
    `{"eventId":${JSON.stringify(record.eventId)},"eventType":${JSON.stringify(record.eventType)},` +
    `"aggregateId":${JSON.stringify(record.aggregateId)},"aggregateType":${JSON.stringify(record.aggregateType)},` +
    `"aggregateVersion":${record.aggregateVersion},"globalPosition":"${record.globalPosition}",` +
    `"timestamp":"${record.timestamp.toISOString()}","schemaVersion":${record.schemaVersion},` +
    `"metadata":${oneLine(record.metadata)},"data":${oneLine(record.data)}}`
  );
}

/** Stored JSON text is one line whatever the database printed (an adapter of your own may indent). */
function oneLine(json: string): string {
  return json.includes('\n') || json.includes('\r') ? JSON.stringify(JSON.parse(json)) : json;
}

/** Reads the header line; throws `ImportFormatError` when `text` is not one. */
export function parseHeader(text: string, line: number): ExportHeader {
  const value = parseObject(text, line);
  if (value['format'] !== EXPORT_FORMAT) {
    throw new ImportFormatError(line, `the first line must be an eventuali export header ({"format":"${EXPORT_FORMAT}",…}), got ${describeValue(text)}`);
  }
  if (value['version'] !== EXPORT_FORMAT_VERSION) {
    throw new ImportFormatError(line, `export format version ${describeValue(value['version'])} is not supported (this eventuali reads version ${EXPORT_FORMAT_VERSION})`);
  }
  return value as unknown as ExportHeader;
}

const DECIMAL = /^[1-9][0-9]*$/;

/** Reads one event line; throws `ImportFormatError` naming the line and the field. */
export function parseEventLine(text: string, line: number): EventRecord {
  const fields = parseObject(text, line);
  const bad = (key: string, expected: string): ImportFormatError =>
    new ImportFormatError(line, `${key} must be ${expected}, got ${describeValue(fields[key])}`);
  const id = (key: string): string => {
    const value = fields[key];
    if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH || value.includes('\u0000')) {
      throw bad(key, `a non-empty string of at most ${MAX_ID_LENGTH} characters`);
    }
    return value;
  };
  const whole = (key: string, max: number): number => {
    const value = fields[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) throw bad(key, `a whole number from 1 to ${max}`);
    return value;
  };
  const positionText = fields['globalPosition'];
  if (typeof positionText !== 'string' || !DECIMAL.test(positionText) || BigInt(positionText) > MAX_GLOBAL_POSITION) {
    throw bad('globalPosition', 'a decimal string of a position ≥ 1');
  }
  const timestampText = fields['timestamp'];
  const timestamp = typeof timestampText === 'string' ? new Date(timestampText) : undefined;
  if (timestamp === undefined || Number.isNaN(timestamp.getTime())) throw bad('timestamp', 'an ISO 8601 string');
  const metadata = fields['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw bad('metadata', 'an object');
  if (!('data' in fields)) throw bad('data', 'present');
  return {
    eventId: id('eventId'),
    eventType: id('eventType'),
    aggregateId: id('aggregateId'),
    aggregateType: id('aggregateType'),
    aggregateVersion: whole('aggregateVersion', MAX_AGGREGATE_VERSION),
    globalPosition: BigInt(positionText),
    timestamp,
    schemaVersion: whole('schemaVersion', MAX_AGGREGATE_VERSION),
    metadata: storable(metadata, 'metadata', line),
    data: storable(fields['data'], 'data', line),
  };
}

function parseObject(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ImportFormatError(line, `not JSON: ${describeValue(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFormatError(line, `expected a JSON object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** JSON text a store accepts (no NUL character, no lone surrogate: PostgreSQL's jsonb refuses them). */
function storable(value: unknown, what: string, line: number): string {
  const json = JSON.stringify(value);
  try {
    checkStorableJson(what, json, value);
  } catch (error) {
    throw new ImportFormatError(line, (error as Error).message);
  }
  return json;
}
