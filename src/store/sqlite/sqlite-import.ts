import type { EventRecord, ImportedBatch } from '../event-log.js';
import { EVENT_COLUMNS, tuplesToEventRecords, type EventTuple } from '../sql/event-row.js';
import { checkImportOrder, importColumns, importRace, recordsToImport } from '../sql/import-rules.js';
import { isUniqueViolation } from './sqlite-errors.js';
import type { SqliteDatabase, SqliteStatement, SqliteTransactionFn } from './sqlite-types.js';

/** Rows per INSERT statement: 10 parameters each stays far below SQLite's parameter limit. */
const MAX_ROWS_PER_INSERT = 64;

const e = (column: string): string => `e.${column}`;
const COLUMNS = EVENT_COLUMNS.split(', ').map(e).join(', ');

/**
 * The stored events sharing a position, an event id or a stream version with the batch: `?` are
 * JSON arrays of positions (as text), of ids, and of `[aggregateId, version]` pairs. Each part
 * walks the batch's keys into a unique index.
 */
const STORED_IN_THE_WAY = `
SELECT ${COLUMNS} FROM json_each(?) AS k JOIN eventuali_events AS e ON e.global_position = CAST(k.value AS INTEGER)
UNION
SELECT ${COLUMNS} FROM json_each(?) AS k JOIN eventuali_events AS e ON e.event_id = k.value
UNION
SELECT ${COLUMNS} FROM json_each(?) AS k JOIN eventuali_events AS e
  ON e.aggregate_id = json_extract(k.value, '$[0]') AND e.aggregate_version = json_extract(k.value, '$[1]')`;

/**
 * The SQLite import: one IMMEDIATE transaction per batch. Positions are the rowid (INTEGER PRIMARY
 * KEY without AUTOINCREMENT), so the next append takes max(rowid) + 1: past the imported events
 * with nothing to move.
 */
export class SqliteImport {
  readonly #stored: SqliteStatement<EventTuple>;
  readonly #inserts = new Map<number, SqliteStatement>();
  readonly #run: SqliteTransactionFn<[readonly EventRecord[]], ImportedBatch>;

  constructor(private readonly db: SqliteDatabase) {
    this.#stored = db.prepare<EventTuple>(STORED_IN_THE_WAY).raw(true);
    this.#run = db.transaction((records: readonly EventRecord[]) => this.#importBatch(records));
  }

  /** Runs the batch in a write transaction (rolled back when it throws). */
  importEvents(records: readonly EventRecord[]): ImportedBatch {
    checkImportOrder(records);
    if (records.length === 0) return { imported: 0, skipped: 0 };
    return this.#run.immediate(records);
  }

  #importBatch(records: readonly EventRecord[]): ImportedBatch {
    const stored = tuplesToEventRecords(
      this.#stored.all(
        JSON.stringify(records.map((r) => r.globalPosition.toString())),
        JSON.stringify(records.map((r) => r.eventId)),
        JSON.stringify(records.map((r) => [r.aggregateId, r.aggregateVersion])),
      ),
    );
    const toWrite = recordsToImport(records, stored);
    try {
      for (let start = 0; start < toWrite.length; start += MAX_ROWS_PER_INSERT) {
        const rows = toWrite.slice(start, start + MAX_ROWS_PER_INSERT);
        const params: unknown[] = [];
        for (const r of rows) params.push(...importColumns(r, (p) => p, (d) => d.getTime()));
        this.#insert(rows.length).run(...params);
      }
    } catch (error) {
      if (isUniqueViolation(error)) throw importRace(toWrite, error);
      throw error;
    }
    return { imported: toWrite.length, skipped: records.length - toWrite.length };
  }

  #insert(rows: number): SqliteStatement {
    let statement = this.#inserts.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      statement = this.db.prepare(
        `INSERT INTO eventuali_events (global_position, event_id, aggregate_id, aggregate_type, aggregate_version,
           event_type, schema_version, timestamp, metadata, data) VALUES ${values}`,
      );
      this.#inserts.set(rows, statement);
    }
    return statement;
  }
}
