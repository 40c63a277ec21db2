import { MAX_AGGREGATE_VERSION } from '../../core/limits.js';
import type { EventRecord, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import { tuplesToEventRecords } from '../sql/event-row.js';
import type { SqliteStatements } from './sqlite-statements.js';

/** The stream's events in version order; reads the connection's own writes. */
export function readStream(statements: SqliteStatements, aggregateId: string, query: ReadStreamQuery): EventRecord[] {
  return tuplesToEventRecords(statements.readStream.all(aggregateId, query.fromVersion, query.toVersion ?? MAX_AGGREGATE_VERSION));
}

export function streamInfo(statements: SqliteStatements, aggregateId: string): { version: number; aggregateType: string } | null {
  const row = statements.streamInfo.get(aggregateId);
  return row ? { version: row.aggregate_version, aggregateType: row.aggregate_type } : null;
}

/** Events in log order after `query.after`, through the statement for the filters asked for. */
export function readAll(statements: SqliteStatements, query: ReadAllQuery): EventRecord[] {
  const after = query.after;
  const eventTypes = query.eventTypes && JSON.stringify(query.eventTypes);
  const aggregateTypes = query.aggregateTypes && JSON.stringify(query.aggregateTypes);
  const rows =
    eventTypes && aggregateTypes
      ? statements.readAllByBoth.all(after, eventTypes, aggregateTypes, query.limit)
      : eventTypes
        ? statements.readAllByEventType.all(after, eventTypes, query.limit)
        : aggregateTypes
          ? statements.readAllByAggregateType.all(after, aggregateTypes, query.limit)
          : statements.readAll.all(after, query.limit);
  return tuplesToEventRecords(rows);
}

/** One writer: rowid order is commit order, so the last rowid is the log's head. */
export function globalPosition(statements: SqliteStatements): bigint {
  return BigInt(statements.lastPosition.get()?.position ?? 0);
}
