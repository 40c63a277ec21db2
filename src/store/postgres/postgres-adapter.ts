import { StoreClosedError } from '../../core/errors.js';
import { InFlightCalls } from '../../core/in-flight-calls.js';
import { checkIdentifier } from '../../core/checks.js';
import type { AdapterCapabilities, StorageAdapter, TransactionSession } from '../adapter.js';
import type { AppendBatch, EventRecord, ImportedBatch, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import type { SnapshotRecord } from '../snapshots.js';
import { coordinationStatements, PostgresCoordination, type CoordinationStatements } from './postgres-coordination.js';
import { SqlAdapter } from '../sql/sql-adapter.js';
import { PostgresWakeups } from './postgres-wakeups.js';
import { HeldConnection } from './held-connection.js';
import { migrate } from './migrations.js';
import { appendToStream } from './postgres-append.js';
import { classifyPostgresError } from './postgres-errors.js';
import { globalPosition, readAll, readStream, streamInfo } from './postgres-read.js';
import { PostgresSession } from './postgres-session.js';
import { loadSnapshot, saveSnapshot } from './postgres-snapshots.js';
import { prepareStatements, type PostgresStatements } from './postgres-statements.js';
import type { PostgresPool } from './postgres-types.js';
import type { DocumentStorage } from '../documents.js';
import { SqlDocumentReader, type DocumentDialect } from '../sql/sql-documents.js';
import { postgresDocuments, postgresHandled } from './postgres-documents.js';
import { GroupCommitter } from '../sql/group-commit.js';
import { groupCommitSettings, type GroupCommitOptions } from '../sql/group-commit-options.js';
import { groupAppendStatement } from './postgres-group-statement.js';
import { postgresGroupWrite } from './postgres-group-append.js';

/**
 * Whether concurrent appends share a commit when `groupCommit` is not given. Off: a lone append
 * measured 0.93× and 0.95× of one without group commit in two bench runs (bench/RESULTS.md, gc),
 * short of the 0.97× it must keep to be on by default (see docs/event-store.md, "Group commit").
 */
export const POSTGRES_GROUP_COMMIT_BY_DEFAULT = false;

/** Group statements in flight at once (each holds one pooled connection while it runs). */
const GROUP_COMMIT_LANES = 4;
import { importBatch, importStatements, type ImportStatements } from './postgres-import.js';
import type { InspectionStorage } from '../inspection.js';
import { postgresInspection } from './postgres-inspection.js';
import { PostgresReplayRequests } from './postgres-replay-requests.js';

export interface PostgresAdapterOptions {
  /** Schema holding the store's tables (default `eventuali`); a lowercase identifier, created if missing. */
  schema?: string;
  /** Receives what cannot be thrown to a caller (a lost LISTEN connection, a failed NOTIFY). */
  onWarning?: (message: string, error: unknown) => void;
  /**
   * Concurrent appends of this process share one statement and one commit (off by default;
   * `{}` turns it on with the defaults); `false` sends each append alone.
   */
  groupCommit?: false | GroupCommitOptions;
}

/** @internal how the adapter was opened. */
export interface PostgresAdapterInit {
  pool: PostgresPool;
  schema: string;
  /** The adapter opened the pool, so close() ends it. */
  ownsPool: boolean;
  /** The connection password, cut out of error messages. */
  secret: string | undefined;
  onWarning?: ((message: string, error: unknown) => void) | undefined;
  groupCommit?: false | GroupCommitOptions | undefined;
}

export const DEFAULT_SCHEMA = 'eventuali';

/** A connection's error is the call's to report: see the constructor. */
const ignoreError = (): void => undefined;

/**
 * The PostgreSQL adapter over a pg `Pool`: concurrent writers, one round trip per append, and a
 * global log that readers walk without skipping late commits. `readAll` and `globalPosition` see
 * events only once every transaction that started before them has ended (a long transaction
 * delays readers, by design); `readStream` and `streamInfo` read your own writes.
 *
 * @example
 * import pg from 'pg';
 * import { EventStore } from 'eventuali';
 * import { createPostgresAdapter } from 'eventuali/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = new EventStore(await createPostgresAdapter(pool, { schema: 'orders' }));
 */
export class PostgresAdapter extends SqlAdapter implements StorageAdapter {
  readonly capabilities: AdapterCapabilities = { concurrentWriters: true, listenNotify: true, persistent: true };
  readonly dbSystem = 'postgresql';
  /** The schema holding the store's tables. */
  readonly schema: string;
  readonly dbNamespace: string;
  readonly #pool: PostgresPool;
  readonly #statements: PostgresStatements;
  readonly #coordinationStatements: CoordinationStatements;
  protected readonly coordination: PostgresCoordination;
  readonly #wakeups: PostgresWakeups;
  readonly #documents: DocumentDialect;
  readonly documents: DocumentStorage;
  readonly inspection: InspectionStorage;
  readonly replayRequests: PostgresReplayRequests;
  readonly #ownsPool: boolean;
  readonly #secret: string | undefined;
  readonly #classify = (error: unknown): unknown => classifyPostgresError(error, this.#secret);
  /** The calls close() lets settle before it ends the pool: pg leaves a call waiting for a connection of an ended pool hanging. */
  readonly #calls = new InFlightCalls();
  #closing: Promise<void> | undefined;
  /** Gathers concurrent appends into one statement; absent when group commit is off. */
  readonly #committer: GroupCommitter | undefined;
  #importStatements: ImportStatements | undefined;

  /** Built by `createPostgresAdapter` or `openPostgresAdapter`, which create the schema; not called directly. */
  constructor(init: PostgresAdapterInit) {
    super();
    checkIdentifier('schema', init.schema);
    this.schema = init.schema;
    this.dbNamespace = init.schema;
    this.#pool = init.pool;
    this.#ownsPool = init.ownsPool;
    this.#secret = init.secret;
    // node-postgres's pool listens for a connection's errors only while it is idle: a session the
    // server ends while a connection is checked out between two queries (a restart,
    // pg_terminate_backend) would emit 'error' unheard, which crashes the process. Listening for
    // the connection's whole life keeps it alive; the query in flight, or the next one, still
    // fails (CONNECTION), and the pool drops the connection when it comes back.
    init.pool.on('connect', (client) => client.on('error', ignoreError));
    this.#statements = prepareStatements(init.schema);
    this.#coordinationStatements = coordinationStatements(init.schema);
    this.coordination = new PostgresCoordination(init.pool, this.#coordinationStatements);
    this.#documents = postgresDocuments(init.schema);
    this.documents = new SqlDocumentReader(
      this.#documents,
      (sql, params) => this.#call(async () => (await this.#pool.query({ text: sql, values: [...params] })).rows),
      (id, position, eventTypes) => this.#call(() => postgresHandled(this.#pool, this.schema, id, position, eventTypes)),
    );
    this.inspection = postgresInspection(init.schema, init.pool, (fn) => this.#call(fn));
    this.replayRequests = new PostgresReplayRequests(init.schema, init.pool, (fn) => this.#call(fn));
    const warn = init.onWarning ?? ((message, error) => process.emitWarning(`eventuali: ${message}: ${String(error)}`));
    this.#wakeups = new PostgresWakeups(init.pool, `eventuali_${init.schema}`, (message, error) => warn(message, this.#classify(error)));
    const settings = groupCommitSettings(init.groupCommit, POSTGRES_GROUP_COMMIT_BY_DEFAULT);
    if (settings) {
      const group = groupAppendStatement(init.schema);
      this.#committer = new GroupCommitter({
        settings,
        distinctStreams: true,
        // Groups on several connections at once: the server commits them in parallel and flushes
        // their WAL together, and a group's statement runs while another's commit waits on fsync.
        lanes: GROUP_COMMIT_LANES,
        write: (batches) => postgresGroupWrite(this.#pool, this.#statements, group, batches),
      });
    }
  }

  /** The pool, for read models that live in the same database. */
  get pool(): PostgresPool {
    return this.#pool;
  }

  append(batch: AppendBatch): Promise<EventRecord[]> {
    const committer = this.#committer;
    if (committer && batch.events.length > 0) return this.#call(() => committer.append(batch));
    return this.#call(() => appendToStream(this.#pool, this.#statements, batch));
  }

  /** Stores exported records with their own positions (see `EventImport`). */
  importEvents(records: readonly EventRecord[]): Promise<ImportedBatch> {
    return this.#call(() => importBatch(this.#pool, (this.#importStatements ??= importStatements(this.schema)), records));
  }

  readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return this.#call(() => readStream(this.#pool, this.#statements, aggregateId, query));
  }

  streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return this.#call(() => streamInfo(this.#pool, this.#statements, aggregateId));
  }

  readAll(query: ReadAllQuery): Promise<EventRecord[]> {
    return this.#call(() => readAll(this.#pool, this.#statements, query));
  }

  globalPosition(): Promise<bigint> {
    return this.#call(() => globalPosition(this.#pool, this.#statements));
  }

  /**
   * Runs `fn` on one connection between BEGIN and COMMIT. An error `fn` throws is rethrown as is,
   * after the rollback; a statement that failed inside fails the whole transaction even if `fn`
   * caught its error.
   */
  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    return this.#calls.run(() => this.#transaction(fn));
  }

  async #transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    const held = await HeldConnection.take(this.#pool).catch(this.#reject);
    const session = new PostgresSession(held.client, this.#statements, this.#coordinationStatements, this.#classify, this.#documents);
    let destroy = false;
    try {
      await session.begin().catch(this.#reject);
      let result: T;
      try {
        result = await fn(session);
      } catch (error) {
        destroy = !(await session.rollback());
        throw error;
      }
      const failure = session.failure;
      if (failure) {
        destroy = !(await session.rollback());
        throw failure.error;
      }
      try {
        await session.commit();
      } catch (error) {
        destroy = true;
        throw this.#classify(error);
      }
      return result;
    } finally {
      session.end();
      held.release(destroy);
    }
  }

  loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null> {
    return this.#call(() => loadSnapshot(this.#pool, this.#statements, aggregateId, snapshotVersion));
  }

  saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    return this.#call(() => saveSnapshot(this.#pool, this.#statements, snapshot));
  }

  /** Sends a NOTIFY after commits (coalesced, outside the append transaction). */
  notifyCommitted(): void {
    if (!this.#calls.closed) this.#wakeups.notify();
  }

  /** Calls `listener` whenever any process notified a commit on this schema. */
  watch(listener: () => void): () => void {
    this.#checkOpen();
    return this.#wakeups.watch(listener);
  }

  /**
   * Refuses new calls, lets the calls in flight settle, then ends the pool the adapter opened (a
   * pool you passed in stays open). Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Appends gathering for a group (maxDelayMs) go now, so the calls below settle.
      void this.#committer?.idle();
      await this.#calls.close();
      await this.#wakeups.close();
      if (this.#ownsPool) await this.#pool.end();
    })();
    return this.#closing;
  }

  protected call<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#call(fn);
  }

  /** Runs a call in flight, its driver errors classified. */
  #call<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#calls.run(async () => {
      try {
        return await fn();
      } catch (error) {
        throw this.#classify(error);
      }
    });
  }

  readonly #reject = (error: unknown): never => {
    throw this.#classify(error);
  };

  #checkOpen(): void {
    if (this.#calls.closed) throw new StoreClosedError();
  }
}

/**
 * Builds the adapter over your pg `Pool`, creating the schema's tables (or applying the migrations
 * they lack). `close()` leaves the pool open; its 'error' events stay yours to handle.
 *
 * @example
 * const store = new EventStore(await createPostgresAdapter(pool));
 */
export async function createPostgresAdapter(pool: PostgresPool, options: PostgresAdapterOptions = {}): Promise<PostgresAdapter> {
  const init: PostgresAdapterInit = {
    pool,
    schema: options.schema ?? DEFAULT_SCHEMA,
    ownsPool: false,
    secret: undefined,
    onWarning: options.onWarning,
    groupCommit: options.groupCommit,
  };
  const adapter = new PostgresAdapter(init);
  await migrateSchema(init);
  return adapter;
}

/** Creates the schema's tables, or applies the migrations they lack; a failure is classified as the adapter's calls are. */
export async function migrateSchema(init: PostgresAdapterInit): Promise<void> {
  try {
    await migrate(init.pool, init.schema);
  } catch (error) {
    throw classifyPostgresError(error, init.secret);
  }
}
