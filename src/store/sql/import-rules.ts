import { ImportConflictError, InvalidArgumentError } from '../../core/errors.js';
import type { EventRecord } from '../event-log.js';

/**
 * The import rules every adapter shares: a batch's positions strictly increase, and each record
 * either is stored already (same id at the same position: skipped) or takes a free position, id
 * and stream version.
 */

/** Throws unless the batch's positions are positive and strictly increasing. */
export function checkImportOrder(records: readonly EventRecord[]): void {
  let previous = 0n;
  for (const record of records) {
    if (record.globalPosition <= previous) {
      throw new InvalidArgumentError(
        'import batch',
        `positions must be positive and strictly increasing; ${record.globalPosition} follows ${previous}`,
      );
    }
    previous = record.globalPosition;
  }
}

/** A stream version as one key: aggregate id and version cannot both collide by accident. */
const streamKey = (aggregateId: string, version: number): string => `${version}\u0000${aggregateId}`;

/**
 * The records of the batch to write. `stored` are the store's events that share a position, an
 * event id or a stream version with any record of the batch. Throws `ImportConflictError` at the
 * first record that another event is in the way of (the batch is then written not at all).
 */
export function recordsToImport(records: readonly EventRecord[], stored: readonly EventRecord[]): EventRecord[] {
  const byPosition = new Map<bigint, EventRecord>();
  const byId = new Map<string, EventRecord>();
  const byStream = new Map<string, EventRecord>();
  for (const record of stored) {
    byPosition.set(record.globalPosition, record);
    byId.set(record.eventId, record);
    byStream.set(streamKey(record.aggregateId, record.aggregateVersion), record);
  }
  const out: EventRecord[] = [];
  for (const record of records) {
    const atPosition = byPosition.get(record.globalPosition);
    if (atPosition) {
      if (atPosition.eventId === record.eventId) continue;
      throw conflict(record, `event ${atPosition.eventId} is stored at this position`);
    }
    const sameId = byId.get(record.eventId);
    if (sameId) throw conflict(record, `the event id is stored at position ${sameId.globalPosition}`);
    const key = streamKey(record.aggregateId, record.aggregateVersion);
    const sameVersion = byStream.get(key);
    if (sameVersion) {
      throw conflict(record, `version ${record.aggregateVersion} of ${JSON.stringify(record.aggregateId)} is event ${sameVersion.eventId} at position ${sameVersion.globalPosition}`);
    }
    // Later records of the batch must not repeat this one's id or stream version either.
    byId.set(record.eventId, record);
    byStream.set(key, record);
    out.push(record);
  }
  return out;
}

/** A unique violation at insert: a writer that is not the import got in the way. */
export function importRace(records: readonly EventRecord[], cause: unknown): ImportConflictError {
  const first = records[0] as EventRecord;
  return new ImportConflictError(first.globalPosition, first.eventId, 'another writer stored a conflicting event during the import', { cause });
}

function conflict(record: EventRecord, reason: string): ImportConflictError {
  return new ImportConflictError(record.globalPosition, record.eventId, reason);
}

/**
 * A record's columns in the order both adapters' import INSERTs list them (position, event id,
 * aggregate id, type and version, event type, schema version, timestamp, metadata, data), with
 * the position and timestamp as the dialect binds them.
 */
export function importColumns(record: EventRecord, position: (value: bigint) => unknown, time: (value: Date) => unknown): unknown[] {
  return [
    position(record.globalPosition),
    record.eventId,
    record.aggregateId,
    record.aggregateType,
    record.aggregateVersion,
    record.eventType,
    record.schemaVersion,
    time(record.timestamp),
    record.metadata,
    record.data,
  ];
}
