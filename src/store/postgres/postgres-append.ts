import { ConcurrencyError } from '../../core/errors.js';
import type { AppendBatch, EventRecord } from '../event-log.js';
import { checkAggregateType, resolveRejectedAppend, storedRecord, versionMatches } from '../sql/append-rules.js';
import { toEventRecord, type EventRow } from '../sql/event-row.js';
import { STREAM_VERSION_CONSTRAINT } from './migrations.js';
import { isUniqueViolation, violatedConstraint } from './postgres-errors.js';
import { ROW_TYPES, type PostgresStatements } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

/** A row the append statements return. */
export interface InsertedRow {
  global_position: string;
  aggregate_version: number;
}

interface DiagnosisRow extends EventRow {
  head: boolean;
}

/** What the store holds for a batch that did not go through. */
export interface Rejection {
  /** The stream's version (0 = no stream). */
  current: number;
  storedType: string | undefined;
  /** Stored events carrying any of the batch's event ids. */
  existing: EventRecord[];
}

/** An append with expected version 'any' that loses the race for the next version tries again, this many times in all. */
const ANY_ATTEMPTS = 10;

/**
 * The PostgreSQL append, on the pool or in a transaction: one round trip when it goes through; an
 * empty batch only checks the stream. When it does not go through, the stored state says why
 * (`resolveRejection`: an idempotent retry, a conflict, a duplicate id). A unique violation means a
 * concurrent writer won the race: on the pool, an `'any'` append runs again (the statement is
 * atomic); in a transaction, which the violation aborted, `lostRace` says what to throw.
 */
export async function appendToStream(
  db: PostgresQueryable,
  statements: PostgresStatements,
  batch: AppendBatch,
  lostRace?: (violation: unknown) => Promise<unknown>,
): Promise<EventRecord[]> {
  if (batch.events.length === 0) return checkEmptyAppend(db, statements, batch);
  for (let attempt = 1; ; attempt++) {
    try {
      const records = await tryAppend(db, statements, batch);
      if (records) return records;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (lostRace) throw await lostRace(error);
      if (batch.expectedVersion === 'any' && violatedConstraint(error) === STREAM_VERSION_CONSTRAINT && attempt < ANY_ATTEMPTS) continue;
    }
    // Nothing inserted: the diagnosis sees what the winner committed (on the pool) or this
    // transaction's own writes (in a transaction still intact).
    return resolveRejection(batch, await diagnose(db, statements, batch));
  }
}

/**
 * Runs the append statement (one round trip). Returns the stored records, or `null` when the
 * stream's type or version, or an event id already stored, made it insert nothing (no sequence
 * value drawn). Throws the driver's unique violation when a concurrent writer won the race.
 */
async function tryAppend(db: PostgresQueryable, statements: PostgresStatements, batch: AppendBatch): Promise<EventRecord[] | null> {
  const one = batch.events.length === 1;
  const statement = one ? statements.appendOne : statements.appendMany;
  const { rows } = await db.query<InsertedRow>({
    name: statement.name,
    text: statement.text,
    values: one ? appendOneValues(batch) : appendManyValues(batch),
    types: ROW_TYPES,
  });
  return rows.length === 0 ? null : insertedRecords(batch, rows);
}

function expectedValue(batch: AppendBatch): number | null {
  const expected = batch.expectedVersion;
  return expected === 'any' ? null : expected === 'no-stream' ? 0 : expected;
}

function appendOneValues(batch: AppendBatch): unknown[] {
  const event = batch.events[0] as AppendBatch['events'][number];
  // ISO text with 'Z': read the same whatever the session's TimeZone.
  const timestamp = event.timestamp.toISOString();
  return [
    batch.aggregateId,
    batch.aggregateType,
    expectedValue(batch),
    event.eventId,
    event.eventType,
    event.schemaVersion,
    timestamp,
    event.metadata,
    event.data,
  ];
}

function appendManyValues(batch: AppendBatch): unknown[] {
  const events = batch.events;
  const n = events.length;
  const ids = new Array<string>(n);
  const types = new Array<string>(n);
  const schemaVersions = new Array<number>(n);
  const timestamps = new Array<string>(n);
  const metadata = new Array<string>(n);
  const data = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const event = events[i] as AppendBatch['events'][number];
    ids[i] = event.eventId;
    types[i] = event.eventType;
    schemaVersions[i] = event.schemaVersion;
    timestamps[i] = event.timestamp.toISOString();
    metadata[i] = event.metadata;
    data[i] = event.data;
  }
  return [batch.aggregateId, batch.aggregateType, expectedValue(batch), ids, types, schemaVersions, timestamps, metadata, data];
}

/** The batch's records, placed by the versions the insert returned (whatever order the rows came in). */
export function insertedRecords(batch: AppendBatch, rows: readonly InsertedRow[]): EventRecord[] {
  let first = Number.POSITIVE_INFINITY;
  for (const row of rows) if (row.aggregate_version < first) first = row.aggregate_version;
  const records = new Array<EventRecord>(rows.length);
  for (const row of rows) {
    const i = row.aggregate_version - first;
    const event = batch.events[i] as AppendBatch['events'][number];
    records[i] = storedRecord(batch, event, row.aggregate_version, BigInt(row.global_position));
  }
  return records;
}

/** Reads, in one round trip, the stream's head and the stored events with the batch's ids. */
export async function diagnose(db: PostgresQueryable, statements: PostgresStatements, batch: AppendBatch): Promise<Rejection> {
  const { rows } = await db.query<DiagnosisRow>({
    name: statements.diagnose.name,
    text: statements.diagnose.text,
    values: [batch.aggregateId, batch.events.map((e) => e.eventId)],
    types: ROW_TYPES,
  });
  let head: DiagnosisRow | undefined;
  const existing: EventRecord[] = [];
  for (const row of rows) {
    if (row.head) head = row;
    else existing.push(toEventRecord(row));
  }
  return { current: head?.aggregate_version ?? 0, storedType: head?.aggregate_type, existing };
}

/**
 * Returns the stored records when the rejected batch is an idempotent retry; otherwise throws
 * AggregateTypeMismatchError, ConcurrencyError or DuplicateEventError (the shared rules).
 */
export function resolveRejection(batch: AppendBatch, rejection: Rejection): EventRecord[] {
  checkAggregateType(batch, rejection.storedType);
  return resolveRejectedAppend(batch, rejection.current, rejection.existing);
}

/** An empty batch writes nothing but still checks the stream's type and version, as the memory adapter does. */
async function checkEmptyAppend(db: PostgresQueryable, statements: PostgresStatements, batch: AppendBatch): Promise<EventRecord[]> {
  const { current, storedType } = await diagnose(db, statements, batch);
  checkAggregateType(batch, storedType);
  if (!versionMatches(batch.expectedVersion, current)) throw new ConcurrencyError(batch.aggregateId, batch.expectedVersion, current);
  return [];
}
