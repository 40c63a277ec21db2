import type { EventRecord } from '../core/event-record.js';
import type { EventJson } from '../http/event-json.js';

/**
 * An event as the inspector shows it: the JSON form of `eventuali/http` (`EventJson`), made from
 * the stored record with data and metadata parsed, so no event definition is needed.
 */
export type InspectedEvent = EventJson;

/** The record as stored: no event definition needed, so any store can be inspected. */
export function inspectRecord(record: EventRecord): InspectedEvent {
  const metadata = parseJson(record.metadata);
  return {
    eventId: record.eventId,
    eventType: record.eventType,
    aggregateId: record.aggregateId,
    aggregateType: record.aggregateType,
    aggregateVersion: record.aggregateVersion,
    globalPosition: record.globalPosition.toString(),
    timestamp: record.timestamp.toISOString(),
    schemaVersion: record.schemaVersion,
    metadata: typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
    data: parseJson(record.data),
  };
}

/** A stored row that no longer parses is shown as its text. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A metadata field when it is a string (correlation and causation ids). */
export function metadataText(event: InspectedEvent, key: string): string | undefined {
  const value = event.metadata[key];
  return typeof value === 'string' ? value : undefined;
}
