import type { AppendBatch, EventRecord } from '../event-log.js';
import { isBatchRefusal, type GroupOutcome } from '../sql/group-commit.js';
import { appendWith } from './sqlite-append.js';
import { classifySqliteError } from './sqlite-errors.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteTransactionFn } from './sqlite-types.js';

/**
 * The SQLite group write (see `sql/group-commit.ts`): one `BEGIN IMMEDIATE … COMMIT`, so one
 * fsync for the whole group, and each batch in a savepoint of its own (`appendTx` is a
 * better-sqlite3 transaction, which nests as a savepoint). A batch refused (a conflict, a
 * duplicate id, another aggregate type) rolls back to its savepoint and the others go on; its
 * idempotent-retry check reads inside the transaction, which sees every earlier batch of the group.
 * Any other failure throws out of the transaction, which rolls the whole group back.
 */
export function sqliteGroupWrite(
  db: SqliteDatabase,
  statements: SqliteStatements,
  appendTx: SqliteTransactionFn<[AppendBatch], EventRecord[]>,
): SqliteTransactionFn<[readonly AppendBatch[]], GroupOutcome[]> {
  return db.transaction((batches: readonly AppendBatch[]) =>
    batches.map((batch): GroupOutcome => {
      try {
        return { records: appendWith(statements, batch, (b) => appendTx(b)) };
      } catch (error) {
        const classified = classifySqliteError(error);
        if (isBatchRefusal(classified)) return { error: classified };
        throw error;
      }
    }),
  );
}
