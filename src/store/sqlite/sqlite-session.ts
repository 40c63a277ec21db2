import type { TransactionSession } from '../adapter.js';
import type { LeaseFence } from '../coordination.js';
import type { AppendBatch, EventRecord, ReadStreamQuery } from '../event-log.js';
import { appendWith } from './sqlite-append.js';
import type { SqliteCoordination } from './sqlite-coordination.js';
import { classifySqliteError } from './sqlite-errors.js';
import { readStream, streamInfo } from './sqlite-read.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteStatement, SqliteTransactionFn } from './sqlite-types.js';
import type { DocumentWriter } from '../documents.js';
import { SqlDocumentWriter } from '../sql/sql-documents.js';
import { SQLITE_DOCUMENTS } from './sqlite-documents.js';

/** Your SQL's prepared statements, kept while the adapter lives (at most about 200). */
export type PreparedQueries = Map<string, SqliteStatement<Record<string, unknown>>>;

/**
 * The session `transaction(fn)` hands to `fn`: every call runs synchronously on the adapter's
 * connection, inside the transaction the adapter began under its lock. Each append is its own
 * savepoint (better-sqlite3 nests), so a rejected batch leaves the transaction's earlier writes in
 * place.
 */
export class SqliteSession implements TransactionSession {
  constructor(
    readonly client: SqliteDatabase,
    private readonly statements: SqliteStatements,
    private readonly appendTx: SqliteTransactionFn<[AppendBatch], EventRecord[]>,
    private readonly coordination: SqliteCoordination,
    private readonly queries: PreparedQueries,
  ) {}

  async append(batch: AppendBatch): Promise<EventRecord[]> {
    return guard(() => appendWith(this.statements, batch, (b) => this.appendTx(b)));
  }

  async readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return guard(() => readStream(this.statements, aggregateId, query));
  }

  async streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return guard(() => streamInfo(this.statements, aggregateId));
  }

  /** Runs your SQL (`?` placeholders) in the transaction: read-model writes commit with the events. */
  readonly query = async <Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> =>
    guard(() => runPrepared(this.client, this.queries, sql, params) as Row[]);

  /** Read models' document writes, in the transaction. */
  readonly documents: DocumentWriter = new SqlDocumentWriter(SQLITE_DOCUMENTS, this.query);

  async saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    return guard(() => this.coordination.saveCheckpoint(subscriptionId, position, fence));
  }

}

/** Runs SQL with the adapter's prepared statements (kept by text); rows of a reader, else none. */
export function runPrepared(db: SqliteDatabase, queries: PreparedQueries, sql: string, params: readonly unknown[]): Record<string, unknown>[] {
  let statement = queries.get(sql);
  if (!statement) {
    statement = db.prepare<Record<string, unknown>>(sql);
    if (queries.size > 200) queries.clear();
    queries.set(sql, statement);
  }
  if (statement.reader) return statement.all(...params);
  statement.run(...params);
  return [];
}

/** Runs a synchronous call, throwing its failure as the adapter classifies it. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw classifySqliteError(error);
  }
}
