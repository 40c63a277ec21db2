import type { AppendBatch, EventRecord } from '../event-log.js';
import { isBatchRefusal, type GroupOutcome } from '../sql/group-commit.js';
import { appendWith, insertBatch, MAX_ROWS_PER_INSERT } from './sqlite-append.js';
import { classifySqliteError } from './sqlite-errors.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteTransactionFn } from './sqlite-types.js';

/**
 * The SQLite group write (see `sql/group-commit.ts`): one `BEGIN IMMEDIATE … COMMIT`, so one
 * fsync for the whole group. A batch refused (a conflict, a duplicate id, another aggregate type)
 * leaves nothing behind and the others go on; its idempotent-retry check reads inside the
 * transaction, which sees every earlier batch of the group. Any other failure throws out of the
 * transaction, which rolls the whole group back.
 *
 * How a refused batch leaves nothing: the version and type checks run before it writes, and a
 * batch of up to MAX_ROWS_PER_INSERT events is one INSERT statement, which SQLite undoes alone
 * when it fails (a constraint's ABORT keeps the transaction and the earlier batches). Only a
 * longer batch (several statements) needs a savepoint of its own (`appendTx`, a better-sqlite3
 * transaction, nests as one). A savepoint per batch made every batch copy the pages the group had
 * already changed into a statement journal: about a third of a 64-append group's time.
 */
export function sqliteGroupWrite(
  db: SqliteDatabase,
  statements: SqliteStatements,
  appendTx: SqliteTransactionFn<[AppendBatch], EventRecord[]>,
): SqliteTransactionFn<[readonly AppendBatch[]], GroupOutcome[]> {
  const insertAlone = (batch: AppendBatch) => insertBatch(statements, batch);
  return db.transaction((batches: readonly AppendBatch[]) =>
    batches.map((batch): GroupOutcome => {
      try {
        return { records: appendWith(statements, batch, batch.events.length > MAX_ROWS_PER_INSERT ? appendTx : insertAlone) };
      } catch (error) {
        const classified = classifySqliteError(error);
        if (isBatchRefusal(classified)) return { error: classified };
        throw error;
      }
    }),
  );
}
