import { StoreClosedError } from '../../core/errors.js';
import { MAX_AGGREGATE_VERSION } from '../../core/limits.js';
import type { AdapterCapabilities, StorageAdapter, TransactionSession } from '../adapter.js';
import type { AppendBatch, EventRecord, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import type { SnapshotRecord } from '../snapshots.js';
import { AsyncLock } from '../async-lock.js';
import { tuplesToEventRecords } from '../sql/event-row.js';
import { migrate } from './migrations.js';
import { appendWith, insertBatch } from './sqlite-append.js';
import { isBusy, retryWhileBusy, SYNC_BUSY_SLICE_MS } from './busy-wait.js';
import { classifySqliteError } from './sqlite-errors.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteStatement, SqliteTransactionFn } from './sqlite-types.js';
import { SqliteCoordination } from './sqlite-coordination.js';
import { SqlAdapter } from '../sql/sql-adapter.js';
import { snapshotValues, toSnapshotRecord } from '../sql/snapshot-row.js';

export interface SqliteAdapterOptions {
  /** Close the database when the adapter closes (default: true when the adapter opened it). */
  closeDatabase?: boolean;
  /**
   * How long a call waits for another process's write lock. When set, the adapter waits it out
   * between short timer sleeps, so the event loop serves other work meanwhile, and sets the
   * connection's own busy timeout to a few milliseconds. When unset, the connection's own busy
   * timeout applies (SQLite's handler, which sleeps inside the call).
   */
  busyTimeoutMs?: number;
}

/**
 * The SQLite adapter over a better-sqlite3 `Database`. One writer: rowid order is commit order, so
 * global positions strictly increase. Calls are serialized by a lock, so an open `transaction()`
 * keeps other calls of this process out of it until it ends.
 *
 * @example
 * import Database from 'better-sqlite3';
 * import { EventStore } from 'eventuali';
 * import { createSqliteAdapter } from 'eventuali/sqlite';
 * const store = new EventStore(createSqliteAdapter(new Database('events.db')));
 */
export class SqliteAdapter extends SqlAdapter implements StorageAdapter {
  readonly capabilities: AdapterCapabilities;
  readonly #db: SqliteDatabase;
  readonly #statements: SqliteStatements;
  readonly #lock = new AsyncLock();
  readonly #appendTx: SqliteTransactionFn<[AppendBatch], EventRecord[]>;
  readonly #closeDatabase: boolean;
  protected readonly coordination: SqliteCoordination;
  readonly #queries = new Map<string, SqliteStatement<Record<string, unknown>>>();
  readonly #busyTimeoutMs: number;
  #closed = false;

  constructor(db: SqliteDatabase, options: SqliteAdapterOptions = {}) {
    super();
    this.#db = db;
    this.#closeDatabase = options.closeDatabase ?? false;
    this.capabilities = { concurrentWriters: false, listenNotify: false, persistent: !db.memory };
    try {
      migrate(db);
      this.#statements = prepareStatements(db);
      this.coordination = new SqliteCoordination(db, this.#statements.eventsByIds);
    } catch (error) {
      throw classifySqliteError(error);
    }
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 0;
    if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.min(options.busyTimeoutMs, SYNC_BUSY_SLICE_MS)}`);
    const statements = this.#statements;
    this.#appendTx = db.transaction((batch: AppendBatch) => insertBatch(statements, batch));
  }

  /** The better-sqlite3 database, for read models that live in the same file. */
  get database(): SqliteDatabase {
    return this.#db;
  }

  append(batch: AppendBatch): Promise<EventRecord[]> {
    return this.#run(() => appendWith(this.#statements, batch, (b) => this.#appendTx.immediate(b)));
  }

  readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return this.#run(() => this.#readStream(aggregateId, query));
  }

  streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return this.#run(() => this.#streamInfo(aggregateId));
  }

  readAll(query: ReadAllQuery): Promise<EventRecord[]> {
    return this.#run(() => {
      const s = this.#statements;
      const after = query.after;
      const eventTypes = query.eventTypes && JSON.stringify(query.eventTypes);
      const aggregateTypes = query.aggregateTypes && JSON.stringify(query.aggregateTypes);
      const rows =
        eventTypes && aggregateTypes
          ? s.readAllByBoth.all(after, eventTypes, aggregateTypes, query.limit)
          : eventTypes
            ? s.readAllByEventType.all(after, eventTypes, query.limit)
            : aggregateTypes
              ? s.readAllByAggregateType.all(after, aggregateTypes, query.limit)
              : s.readAll.all(after, query.limit);
      return tuplesToEventRecords(rows);
    });
  }

  globalPosition(): Promise<bigint> {
    return this.#run(() => BigInt(this.#statements.lastPosition.get()?.position ?? 0));
  }

  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return this.#lock.run(async () => {
      const s = this.#statements;
      await this.#attempt(() => s.begin.run());
      // Inside the transaction each append is its own savepoint (better-sqlite3 nests), so a
      // rejected batch leaves the transaction's earlier writes in place.
      const session: TransactionSession = {
        append: async (batch) => this.#guard(() => appendWith(s, batch, (b) => this.#appendTx(b))),
        readStream: async (aggregateId, query) => this.#guard(() => this.#readStream(aggregateId, query)),
        streamInfo: async (aggregateId) => this.#guard(() => this.#streamInfo(aggregateId)),
        query: async <Row>(sql: string, params: readonly unknown[] = []) => this.#guard(() => this.#query(sql, params) as Row[]),
        client: this.#db,
        saveCheckpoint: async (subscriptionId, position, fence) =>
          this.#guard(() => this.coordination.saveCheckpoint(subscriptionId, position, fence)),
      };
      try {
        const result = await fn(session);
        this.#guard(() => s.commit.run());
        return result;
      } catch (error) {
        if (this.#db.inTransaction) s.rollback.run();
        throw error;
      }
    });
  }

  loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null> {
    return this.#run(() => toSnapshotRecord(this.#statements.loadSnapshot.get(aggregateId, snapshotVersion)));
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.#run(() => {
      this.#statements.saveSnapshot.run(...snapshotValues(snapshot));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Wait for the call (or transaction) in flight, then close.
    await this.#lock.run(() => {
      if (this.#closeDatabase && this.#db.open) this.#db.close();
    });
  }

  #readStream(aggregateId: string, query: ReadStreamQuery): EventRecord[] {
    return tuplesToEventRecords(
      this.#statements.readStream.all(aggregateId, query.fromVersion, query.toVersion ?? MAX_AGGREGATE_VERSION),
    );
  }

  #query(sql: string, params: readonly unknown[]): Record<string, unknown>[] {
    let statement = this.#queries.get(sql);
    if (!statement) {
      statement = this.#db.prepare<Record<string, unknown>>(sql);
      if (this.#queries.size > 200) this.#queries.clear();
      this.#queries.set(sql, statement);
    }
    if (statement.reader) return statement.all(...params);
    statement.run(...params);
    return [];
  }

  #streamInfo(aggregateId: string): { version: number; aggregateType: string } | null {
    const row = this.#statements.streamInfo.get(aggregateId);
    return row ? { version: row.aggregate_version, aggregateType: row.aggregate_type } : null;
  }

  protected call<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#run(fn) as Promise<T>;
  }

  /** Runs a synchronous call under the lock. */
  #run<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return this.#lock.run(() => this.#attempt(fn));
  }

  /**
   * Runs a synchronous call that is safe to repeat after a busy failure (one statement, or a
   * better-sqlite3 transaction, rolled back when it throws). Another process's write lock is
   * waited out without blocking the event loop, up to the busy timeout.
   */
  #attempt<T>(fn: () => T): T | Promise<T> {
    try {
      return fn();
    } catch (error) {
      if (!isBusy(error) || this.#busyTimeoutMs === 0) throw classifySqliteError(error);
      return retryWhileBusy(fn, this.#busyTimeoutMs).catch((final: unknown) => Promise.reject(classifySqliteError(final)));
    }
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw classifySqliteError(error);
    }
  }
}

/** Builds the adapter over an existing better-sqlite3 Database (left open on close). */
export function createSqliteAdapter(db: SqliteDatabase, options: SqliteAdapterOptions = {}): SqliteAdapter {
  return new SqliteAdapter(db, options);
}
