import type { AppendBatch, EventRecord } from '../event-log.js';
import { checkAggregateType, firstVersion, resolveRejectedAppend, storedRecord, versionMatches } from '../sql/append-rules.js';
import { tuplesToEventRecords } from '../sql/event-row.js';
import { isUniqueViolation } from './sqlite-errors.js';
import type { SqliteStatements } from './sqlite-statements.js';

/** Rows per INSERT statement: 9 parameters each stays far below SQLite's parameter limit. */
export const MAX_ROWS_PER_INSERT = 64;

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
  for (let start = 0; start < batch.events.length; start += MAX_ROWS_PER_INSERT) {
    const end = Math.min(batch.events.length, start + MAX_ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (let i = start; i < end; i++) {
      const event = batch.events[i] as AppendBatch['events'][number];
      params.push(
        event.eventId,
        batch.aggregateId,
        batch.aggregateType,
        base + i,
        event.eventType,
        event.schemaVersion,
        event.timestamp.getTime(),
        event.metadata,
        event.data,
      );
    }
    let last: number | bigint;
    try {
      last = statements.insertEvents(end - start).run(...params).lastInsertRowid;
    } catch (error) {
      if (isUniqueViolation(error)) throw new Rejected(current);
      throw error;
    }
    // One writer, rowid positions: the rows of one INSERT took consecutive positions ending at `last`.
    const first = BigInt(last) - BigInt(end - start - 1);
    for (let i = start; i < end; i++) {
      const event = batch.events[i] as AppendBatch['events'][number];
      records[i] = storedRecord(batch, event, base + i, first + BigInt(i - start));
    }
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
    const existing = tuplesToEventRecords(statements.eventsByIds.all(ids));
    const current = statements.streamInfo.get(batch.aggregateId)?.aggregate_version ?? error.current;
    return resolveRejectedAppend(batch, current, existing);
  }
}
