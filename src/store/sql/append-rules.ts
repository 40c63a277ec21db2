import { AggregateTypeMismatchError, ConcurrencyError, DuplicateEventError } from '../../core/errors.js';
import type { AppendBatch, EventRecord, ExpectedVersion, NewEventRecord } from '../event-log.js';

/**
 * The append rules every adapter shares: the expected-version check, and telling an idempotent
 * retry from a conflict once an append did not go through.
 */

/** True when a stream at `current` (0 = no stream) satisfies `expected`. */
export function versionMatches(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current === 0;
  return current === expected;
}

/** The version the batch's first event takes, when the check passed. */
export function firstVersion(expected: ExpectedVersion, current: number): number {
  return (typeof expected === 'number' ? expected : current) + 1;
}

/** Throws when the aggregate id is stored under another aggregate type. */
export function checkAggregateType(batch: AppendBatch, storedType: string | undefined): void {
  if (storedType !== undefined && storedType !== batch.aggregateType) {
    throw new AggregateTypeMismatchError(batch.aggregateId, batch.aggregateType, storedType);
  }
}

/**
 * Called when an append could not go through as asked. `existing` are the stored records that carry
 * any of the batch's event ids. Returns them when the batch is already stored exactly as asked (a
 * retry after an ambiguous commit); otherwise throws `ConcurrencyError` or `DuplicateEventError`.
 */
export function resolveRejectedAppend(batch: AppendBatch, current: number, existing: readonly EventRecord[]): EventRecord[] {
  const byId = new Map(existing.map((record) => [record.eventId, record]));
  const stored = batch.events.map((event) => byId.get(event.eventId));
  if (stored.every((record) => record !== undefined) && isSameBatch(batch, stored as EventRecord[])) {
    return stored as EventRecord[];
  }
  if (!versionMatches(batch.expectedVersion, current)) {
    throw new ConcurrencyError(batch.aggregateId, batch.expectedVersion, current);
  }
  const duplicate = existing[0];
  if (duplicate) throw new DuplicateEventError(duplicate.eventId);
  // The check passed but the write still lost a race (a unique version violation): a conflict.
  throw new ConcurrencyError(batch.aggregateId, batch.expectedVersion, current);
}

function isSameBatch(batch: AppendBatch, stored: readonly EventRecord[]): boolean {
  const first = stored[0];
  if (!first) return false;
  const expected = batch.expectedVersion;
  if (typeof expected === 'number' && first.aggregateVersion !== expected + 1) return false;
  if (expected === 'no-stream' && first.aggregateVersion !== 1) return false;
  return stored.every(
    (record, i) => record.aggregateId === batch.aggregateId && record.aggregateVersion === first.aggregateVersion + i,
  );
}

/** The record of one of the batch's events as stored at `aggregateVersion` and `globalPosition`. */
export function storedRecord(batch: AppendBatch, event: NewEventRecord, aggregateVersion: number, globalPosition: bigint): EventRecord {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    timestamp: event.timestamp,
    metadata: event.metadata,
    data: event.data,
    aggregateId: batch.aggregateId,
    aggregateType: batch.aggregateType,
    aggregateVersion,
    globalPosition,
  };
}
