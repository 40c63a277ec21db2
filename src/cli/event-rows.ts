import type { Event } from '../core/event.js';
import type { Cli } from './cli-context.js';
import { cell } from './output.js';

/** An event as `--json` prints it: every envelope field (positions as decimal strings). */
export function eventJson(event: Event): Record<string, unknown> {
  return {
    globalPosition: event.globalPosition,
    eventId: event.eventId,
    eventType: event.eventType,
    aggregateId: event.aggregateId,
    aggregateType: event.aggregateType,
    aggregateVersion: event.aggregateVersion,
    schemaVersion: event.schemaVersion,
    timestamp: event.timestamp,
    metadata: event.metadata,
    data: event.data,
  };
}

export const EVENT_HEADERS = ['POSITION', 'TIME', 'STREAM', 'VERSION', 'TYPE', 'DATA'] as const;

/** An event as a table row: data as one line of JSON, cut to fit. */
export function eventRow(cli: Cli, event: Event): string[] {
  return [
    String(event.globalPosition),
    cli.colors.dim(event.timestamp.toISOString()),
    cell(event.aggregateId, 40),
    String(event.aggregateVersion),
    cli.colors.cyan(cell(event.eventType, 40)),
    cell(jsonText(event.data), 80),
  ];
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return '(unprintable)';
  }
}
