import { ConcurrencyError, ConnectionError, InvalidArgumentError } from '../../core/errors.js';
import type { AppendBatch, EventRecord, ReadStreamQuery } from '../event-log.js';
import type { TransactionSession } from '../adapter.js';
import type { LeaseFence } from '../coordination.js';
import { PostgresCoordination, type CoordinationStatements } from './postgres-coordination.js';
import { appendToStream, diagnose, resolveRejection } from './postgres-append.js';
import { readStream, streamInfo } from './postgres-read.js';
import type { PostgresStatements } from './postgres-statements.js';
import type { DocumentWriter } from '../documents.js';
import { SqlDocumentWriter, type DocumentDialect } from '../sql/sql-documents.js';
import type { PostgresPoolClient, PostgresQueryable, PostgresQueryConfig, PostgresQueryResult } from './postgres-types.js';

/**
 * The session `transaction(fn)` hands to `fn`: every call runs on the transaction's connection.
 *
 * PostgreSQL aborts a transaction at its first failed statement. The session remembers that
 * error: later calls throw it instead of the server's "current transaction is aborted", and the
 * adapter rolls back and throws it even when `fn` caught it, so a transaction that lost a write
 * never reports success.
 * @internal
 */
export class PostgresSession implements TransactionSession {
  #failure: { error: unknown } | undefined;
  #inTransaction = false;
  #ended = false;
  /** The connection as the shared read/append functions see it: failures are remembered. */
  readonly #db: PostgresQueryable;
  /** Read models' document writes, on this transaction's connection. */
  readonly documents: DocumentWriter;
  readonly #coordination: PostgresCoordination;

  constructor(
    readonly client: PostgresPoolClient,
    private readonly statements: PostgresStatements,
    coordination: CoordinationStatements,
    private readonly classify: (error: unknown) => unknown,
    documents: DocumentDialect,
  ) {
    this.#db = { query: <Row>(config: PostgresQueryConfig) => this.#query<Row>(config) };
    this.documents = new SqlDocumentWriter(documents, this.query);
    this.#coordination = new PostgresCoordination(this.#db, coordination);
  }

  /** The error that aborted the transaction, if one did. */
  get failure(): { error: unknown } | undefined {
    return this.#failure;
  }

  append(batch: AppendBatch): Promise<EventRecord[]> {
    return this.#run(() => appendToStream(this.#db, this.statements, batch, (violation) => this.#lostRace(batch, violation)));
  }

  readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return this.#run(() => readStream(this.#db, this.statements, aggregateId, query));
  }

  streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return this.#run(() => streamInfo(this.#db, this.statements, aggregateId));
  }

  /** Runs your SQL (`$1` placeholders) in the transaction: read-model writes commit with the events. */
  readonly query = <Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> =>
    this.#run(async () => (await this.#db.query<Row>({ text: sql, values: [...params] })).rows);

  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    return this.#run(() => this.#coordination.saveCheckpoint(subscriptionId, position, fence));
  }

  /** @internal */
  async begin(): Promise<void> {
    await this.#query({ text: 'BEGIN' });
    this.#inTransaction = true;
  }

  /** @internal */
  async commit(): Promise<void> {
    const result = await this.#query({ text: 'COMMIT' });
    this.#inTransaction = false;
    // The server answers ROLLBACK to a COMMIT of an aborted transaction. #failure catches that
    // first; this is the last guard against reporting a lost transaction as committed.
    if (result.command === 'ROLLBACK') throw new ConnectionError('PostgreSQL rolled the transaction back at COMMIT');
  }

  /** Rolls back unless already done; false when the connection could not do it (then destroy it). */
  async rollback(): Promise<boolean> {
    if (!this.#inTransaction) return true;
    this.#inTransaction = false;
    try {
      await this.client.query({ text: 'ROLLBACK' });
      return true;
    } catch {
      return false;
    }
  }

  /** @internal after this, calls throw (the connection is back in the pool). */
  end(): void {
    this.#ended = true;
  }

  /**
   * A concurrent writer committed a row this insert collided with, and the failed statement
   * aborted the transaction. Roll back now, so this connection sees what the other writer
   * committed, and say why: a conflict (or a duplicate id). Even a batch already stored exactly
   * so is a conflict here, since nothing else this transaction wrote is kept.
   */
  async #lostRace(batch: AppendBatch, violation: unknown): Promise<unknown> {
    this.#failure = { error: this.classify(violation) };
    this.#inTransaction = false;
    let error: unknown;
    try {
      await this.client.query({ text: 'ROLLBACK' });
      const rejection = await diagnose(this.client, this.statements, batch);
      resolveRejection(batch, rejection);
      error = new ConcurrencyError(batch.aggregateId, batch.expectedVersion, rejection.current, { cause: violation });
    } catch (resolved) {
      error = this.classify(resolved);
    }
    this.#failure = { error };
    return error;
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#ended) throw new InvalidArgumentError('transaction', 'is over: use its session only inside the transaction function');
    if (this.#failure) throw this.#failure.error;
    try {
      return await fn();
    } catch (error) {
      throw this.classify(error);
    }
  }

  async #query<Row>(config: PostgresQueryConfig): Promise<PostgresQueryResult<Row>> {
    if (this.#failure) throw this.#failure.error;
    try {
      return await this.client.query<Row>(config);
    } catch (error) {
      const classified = this.classify(error);
      this.#failure ??= { error: classified };
      throw classified;
    }
  }
}
