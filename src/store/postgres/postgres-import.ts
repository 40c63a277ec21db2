import type { EventRecord, ImportedBatch } from '../event-log.js';
import { tuplesToEventRecords, type EventTuple } from '../sql/event-row.js';
import { checkImportOrder, importColumns, importRace, recordsToImport } from '../sql/import-rules.js';
import { HeldConnection } from './held-connection.js';
import { isUniqueViolation } from './postgres-errors.js';
import { ROW_TYPES, SELECT_EVENT } from './postgres-statements.js';
import type { PostgresPool, PostgresQueryable } from './postgres-types.js';

/** The SQL of the import for one schema. */
export interface ImportStatements {
  /** Stored events sharing a position (`$1`), an id (`$2`) or a stream version (`$3`, `$4`) with the batch. */
  readonly stored: string;
  /** The batch's rows with their own positions, one array parameter per column. */
  readonly insert: string;
  /** Moves the position identity to `$1` when it is behind it (never back). */
  readonly moveSequence: string;
}

export function importStatements(schema: string): ImportStatements {
  const events = `"${schema}".events`;
  // Each part joins the batch's keys to a unique index: "= ANY($1)" can get a plan that scans the table.
  const stored = `SELECT ${SELECT_EVENT} FROM unnest($1::bigint[]) AS k(k_position) JOIN ${events} ON global_position = k.k_position
UNION
SELECT ${SELECT_EVENT} FROM unnest($2::text[]) AS k(k_id) JOIN ${events} ON event_id = k.k_id
UNION
SELECT ${SELECT_EVENT} FROM unnest($3::text[], $4::int4[]) AS k(k_aggregate, k_version) JOIN ${events}
  ON aggregate_id = k.k_aggregate AND aggregate_version = k.k_version`;
  const insert = `INSERT INTO ${events} (global_position, event_id, aggregate_id, aggregate_type, aggregate_version, event_type,
  schema_version, "timestamp", metadata, data)
OVERRIDING SYSTEM VALUE
SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int4[], $6::text[], $7::int4[], $8::timestamptz[],
  $9::jsonb[], $10::jsonb[])`;
  const sequence = `pg_get_serial_sequence('${events.replaceAll("'", "''")}', 'global_position')`;
  const moveSequence = `SELECT setval(${sequence}, $1::bigint)
WHERE coalesce(pg_sequence_last_value(${sequence}::regclass), 0) < $1::bigint`;
  return { stored, insert, moveSequence };
}

/**
 * Imports one batch in one transaction: inserts the records with their own positions (OVERRIDING
 * SYSTEM VALUE on the identity column), or, when something is in the way, reads what is and
 * inserts the rest; then moves the identity past the
 * greatest one, so later appends take greater positions. The batch's events share the
 * transaction's id, and batches commit one after the other, so the log order readers see
 * (transaction id, position) is the file's order.
 */
export async function importBatch(pool: PostgresPool, statements: ImportStatements, records: readonly EventRecord[]): Promise<ImportedBatch> {
  checkImportOrder(records);
  if (records.length === 0) return { imported: 0, skipped: 0 };
  const held = await HeldConnection.take(pool);
  const db = held.client;
  let broken = false;
  try {
    // The common case, an import into an empty store, in one statement: when nothing is in the
    // way, every record goes in. A unique violation (a record stored already, or a conflict) rolls
    // back to the savepoint and the batch is checked record by record.
    await db.query({ text: 'BEGIN; SAVEPOINT eventuali_import' });
    let toWrite: readonly EventRecord[] = records;
    try {
      await db.query({ text: statements.insert, values: insertValues(records) });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await db.query({ text: 'ROLLBACK TO SAVEPOINT eventuali_import' });
      toWrite = await checkedRecords(db, statements, records);
    }
    if (toWrite.length > 0) {
      const last = (toWrite.at(-1) as EventRecord).globalPosition;
      await db.query({ text: statements.moveSequence, values: [last.toString()] });
    }
    await db.query({ text: 'COMMIT' });
    return { imported: toWrite.length, skipped: records.length - toWrite.length };
  } catch (error) {
    await db.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
    throw error;
  } finally {
    held.release(broken);
  }
}

/** Reads what is in the way of the batch, then writes the records nothing is in the way of (throws ImportConflictError otherwise). */
async function checkedRecords(db: PostgresQueryable, statements: ImportStatements, records: readonly EventRecord[]): Promise<EventRecord[]> {
  const { rows } = await db.query<EventTuple>({
    text: statements.stored,
    values: [
      records.map((r) => r.globalPosition.toString()),
      records.map((r) => r.eventId),
      records.map((r) => r.aggregateId),
      records.map((r) => r.aggregateVersion),
    ],
    types: ROW_TYPES,
    rowMode: 'array',
  });
  const toWrite = recordsToImport(records, tuplesToEventRecords(rows));
  if (toWrite.length === 0) return toWrite;
  try {
    await db.query({ text: statements.insert, values: insertValues(toWrite) });
  } catch (error) {
    if (isUniqueViolation(error)) throw importRace(toWrite, error);
    throw error;
  }
  return toWrite;
}

function insertValues(records: readonly EventRecord[]): unknown[] {
  const columns: unknown[][] = Array.from({ length: 10 }, () => new Array<unknown>(records.length));
  records.forEach((r, i) => {
    const row = importColumns(r, (p) => p.toString(), (d) => d.toISOString());
    for (let c = 0; c < row.length; c++) (columns[c] as unknown[])[i] = row[c];
  });
  return columns;
}
