import { MAX_AGGREGATE_VERSION } from '../../core/limits.js';
import type { EventRecord, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import { tuplesToEventRecords, type EventTuple } from '../sql/event-row.js';
import { ROW_TYPES, type PostgresStatements } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';


/** The stream's events in version order; reads the connection's own writes. */
export async function readStream(
  db: PostgresQueryable,
  statements: PostgresStatements,
  aggregateId: string,
  query: ReadStreamQuery,
): Promise<EventRecord[]> {
  const { rows } = await db.query<EventTuple>({
    name: statements.readStream.name,
    text: statements.readStream.text,
    values: [aggregateId, query.fromVersion, query.toVersion ?? MAX_AGGREGATE_VERSION],
    types: ROW_TYPES,
    rowMode: 'array',
  });
  return tuplesToEventRecords(rows);
}

export async function streamInfo(
  db: PostgresQueryable,
  statements: PostgresStatements,
  aggregateId: string,
): Promise<{ version: number; aggregateType: string } | null> {
  const { rows } = await db.query<{ aggregate_version: number; aggregate_type: string }>({
    name: statements.streamInfo.name,
    text: statements.streamInfo.text,
    values: [aggregateId],
    types: ROW_TYPES,
  });
  const row = rows[0];
  return row ? { version: row.aggregate_version, aggregateType: row.aggregate_type } : null;
}

/** Events in log order after `query.after`, below the oldest transaction still in flight. */
export async function readAll(db: PostgresQueryable, statements: PostgresStatements, query: ReadAllQuery): Promise<EventRecord[]> {
  const after = query.after > 0n;
  const eventTypes = query.eventTypes !== undefined;
  const aggregateTypes = query.aggregateTypes !== undefined;
  const statement = statements.readAll(after, eventTypes, aggregateTypes);
  const values: unknown[] = [query.limit];
  if (after) values.push(query.after.toString());
  if (query.eventTypes !== undefined) values.push(query.eventTypes);
  if (query.aggregateTypes !== undefined) values.push(query.aggregateTypes);
  const { rows } = await db.query<EventTuple>({ name: statement.name, text: statement.text, values, types: ROW_TYPES, rowMode: 'array' });
  return tuplesToEventRecords(rows);
}

/** Position of the last event in log order that readers can see; 0n when none. */
export async function globalPosition(db: PostgresQueryable, statements: PostgresStatements): Promise<bigint> {
  const { rows } = await db.query<{ global_position: string }>({
    name: statements.globalPosition.name,
    text: statements.globalPosition.text,
    types: ROW_TYPES,
  });
  const row = rows[0];
  return row ? BigInt(row.global_position) : 0n;
}
