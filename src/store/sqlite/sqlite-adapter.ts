import { StoreClosedError } from '../../core/errors.js';
import type { AdapterCapabilities, StorageAdapter, TransactionSession } from '../adapter.js';
import type { AppendBatch, EventRecord, ImportedBatch, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import type { SnapshotRecord } from '../snapshots.js';
import { AsyncLock } from '../async-lock.js';
import { migrate } from './migrations.js';
import { appendWith, insertBatch } from './sqlite-append.js';
import { isBusy, retryWhileBusy, SYNC_BUSY_SLICE_MS } from './busy-wait.js';
import { classifySqliteError } from './sqlite-errors.js';
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteTransactionFn } from './sqlite-types.js';
import { SqliteCoordination } from './sqlite-coordination.js';
import { guard, runPrepared, SqliteSession, type PreparedQueries } from './sqlite-session.js';
import { SqlAdapter } from '../sql/sql-adapter.js';
import { globalPosition, readAll, readStream, streamInfo } from './sqlite-read.js';
import { loadSnapshot, saveSnapshot } from './sqlite-snapshots.js';
import { handledInPositionOrder, type DocumentStorage } from '../documents.js';
import { SqlDocumentReader } from '../sql/sql-documents.js';
import { SQLITE_DOCUMENTS } from './sqlite-documents.js';
import { GroupCommitter, type GroupOutcome } from '../sql/group-commit.js';
import { groupCommitSettings, type GroupCommitOptions } from '../sql/group-commit-options.js';
import { sqliteGroupWrite } from './sqlite-group-append.js';

/**
 * Whether concurrent appends to a file share a commit when `groupCommit` is not given (see
 * docs/event-store.md, "Group commit"). An in-memory database has no fsync to share: off there.
 */
export const SQLITE_GROUP_COMMIT_BY_DEFAULT = true;
import { SqliteImport } from './sqlite-import.js';
import { sqliteInspection } from './sqlite-inspection.js';
import { SqliteReplayRequests } from './sqlite-replay-requests.js';
import type { InspectionStorage } from '../inspection.js';

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
  /**
   * Concurrent appends of this process share one `BEGIN IMMEDIATE … COMMIT` (one fsync), each
   * batch in a savepoint of its own; `false` commits each append alone.
   */
  groupCommit?: false | GroupCommitOptions;
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
  readonly dbSystem = 'sqlite';
  readonly dbNamespace: string;
  readonly documents: DocumentStorage = new SqlDocumentReader(
    SQLITE_DOCUMENTS,
    (sql, params) => this.#run(() => runPrepared(this.#db, this.#queries, sql, params)),
    (subscriptionId, position, eventTypes) => handledInPositionOrder(this, subscriptionId, position, eventTypes),
  );
  readonly inspection: InspectionStorage;
  readonly replayRequests: SqliteReplayRequests;
  readonly #db: SqliteDatabase;
  readonly #statements: SqliteStatements;
  readonly #lock = new AsyncLock();
  readonly #appendTx: SqliteTransactionFn<[AppendBatch], EventRecord[]>;
  readonly #closeDatabase: boolean;
  protected readonly coordination: SqliteCoordination;
  readonly #queries: PreparedQueries = new Map();
  readonly #busyTimeoutMs: number;
  /** Gathers concurrent appends into one transaction; absent when group commit is off. */
  readonly #committer: GroupCommitter | undefined;
  #import: SqliteImport | undefined;
  #closed = false;

  constructor(db: SqliteDatabase, options: SqliteAdapterOptions = {}) {
    super();
    this.#db = db;
    this.#closeDatabase = options.closeDatabase ?? false;
    this.capabilities = { concurrentWriters: false, listenNotify: false, persistent: !db.memory };
    this.dbNamespace = db.name;
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
    const settings = groupCommitSettings(options.groupCommit, SQLITE_GROUP_COMMIT_BY_DEFAULT && !db.memory);
    if (settings) {
      const groupTx = sqliteGroupWrite(db, statements, this.#appendTx);
      this.#committer = new GroupCommitter({
        settings,
        distinctStreams: false,
        write: (batches) => this.#lock.run(() => this.#attempt(() => this.#writeGroup(groupTx, batches))),
      });
    }
    this.inspection = sqliteInspection(db, (fn) => this.#run(fn));
    this.replayRequests = new SqliteReplayRequests(db, (fn) => this.#run(fn));
  }

  /** The better-sqlite3 database, for read models that live in the same file. */
  get database(): SqliteDatabase {
    return this.#db;
  }

  append(batch: AppendBatch): Promise<EventRecord[]> {
    if (this.#committer && batch.events.length > 0) {
      if (this.#closed) return Promise.reject(new StoreClosedError());
      return this.#committer.append(batch);
    }
    return this.#run(() => this.#appendAlone(batch));
  }

  #appendAlone(batch: AppendBatch): EventRecord[] {
    return appendWith(this.#statements, batch, (b) => this.#appendTx.immediate(b));
  }

  /** One group in one transaction; a group of one is an append alone (no savepoint to pay for). */
  #writeGroup(groupTx: ReturnType<typeof sqliteGroupWrite>, batches: readonly AppendBatch[]): GroupOutcome[] {
    if (batches.length === 1) return [{ records: this.#appendAlone(batches[0] as AppendBatch) }];
    return groupTx.immediate(batches);
  }

  /** Stores exported records with their own positions (see `EventImport`). */
  importEvents(records: readonly EventRecord[]): Promise<ImportedBatch> {
    return this.#run(() => (this.#import ??= new SqliteImport(this.#db)).importEvents(records));
  }

  readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return this.#run(() => readStream(this.#statements, aggregateId, query));
  }

  streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return this.#run(() => streamInfo(this.#statements, aggregateId));
  }

  readAll(query: ReadAllQuery): Promise<EventRecord[]> {
    return this.#run(() => readAll(this.#statements, query));
  }

  globalPosition(): Promise<bigint> {
    return this.#run(() => globalPosition(this.#statements));
  }

  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return this.#lock.run(async () => {
      const s = this.#statements;
      await this.#attempt(() => s.begin.run());
      const session = new SqliteSession(this.#db, s, this.#appendTx, this.coordination, this.#queries);
      try {
        const result = await fn(session);
        guard(() => s.commit.run());
        return result;
      } catch (error) {
        if (this.#db.inTransaction) s.rollback.run();
        throw error;
      }
    });
  }

  loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null> {
    return this.#run(() => loadSnapshot(this.#statements, aggregateId, snapshotVersion));
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.#run(() => saveSnapshot(this.#statements, snapshot));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The appends queued for a group commit go through first; then wait for the call (or
    // transaction) in flight, and close.
    await this.#committer?.idle();
    await this.#lock.run(() => {
      if (this.#closeDatabase && this.#db.open) this.#db.close();
    });
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
}

/** Builds the adapter over an existing better-sqlite3 Database (left open on close). */
export function createSqliteAdapter(db: SqliteDatabase, options: SqliteAdapterOptions = {}): SqliteAdapter {
  return new SqliteAdapter(db, options);
}
