import type { AppendBatch, EventRecord } from '../adapter.js';
import { checkAggregateType, firstVersion, resolveRejectedAppend, versionMatches } from '../append-rules.js';
import { toEventRecords } from '../sql/event-row.js';
import { isUniqueViolation } from './sqlite-errors.js';
import type { SqliteStatements } from './sqlite-statements.js';

/** Thrown inside the write transaction to roll it back; the rejection is resolved outside it. */
class Rejected {
  constructor(readonly current: number) {}
}

/** Inserts the batch, or throws `Rejected` (the transaction then rolls back, nothing written). */
export function insertBatch(statements: SqliteStatements, batch: AppendBatch): EventRecord[] {
  const info = statements.streamInfo.get(batch.aggregateId);
  checkAggregateType(batch, info?.aggregate_type);
  const current = info?.aggregate_version ?? 0;
  if (!versionMatches(batch.expectedVersion, current)) throw new Rejected(current);
  const base = firstVersion(batch.expectedVersion, current);
  const records = new Array<EventRecord>(batch.events.length);
  for (let i = 0; i < batch.events.length; i++) {
    const event = batch.events[i] as AppendBatch['events'][number];
    const version = base + i;
    let rowid: number | bigint;
    try {
      rowid = statements.insertEvent.run(
        event.eventId,
        batch.aggregateId,
        batch.aggregateType,
        version,
        event.eventType,
        event.schemaVersion,
        event.timestamp.getTime(),
        event.metadata,
        event.data,
      ).lastInsertRowid;
    } catch (error) {
      if (isUniqueViolation(error)) throw new Rejected(current);
      throw error;
    }
    records[i] = {
      ...event,
      aggregateId: batch.aggregateId,
      aggregateType: batch.aggregateType,
      aggregateVersion: version,
      globalPosition: BigInt(rowid),
    };
  }
  return records;
}

/**
 * Runs `write` (which calls insertBatch in a transaction or savepoint); when the batch was rejected,
 * tells an idempotent retry (returns the stored records) from a conflict (throws).
 */
export function appendWith(
  statements: SqliteStatements,
  batch: AppendBatch,
  write: (batch: AppendBatch) => EventRecord[],
): EventRecord[] {
  try {
    return write(batch);
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
    const ids = JSON.stringify(batch.events.map((e) => e.eventId));
    const existing = toEventRecords(statements.eventsByIds.all(ids));
    const current = statements.streamInfo.get(batch.aggregateId)?.aggregate_version ?? error.current;
    return resolveRejectedAppend(batch, current, existing);
  }
}
