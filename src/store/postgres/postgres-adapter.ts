import { StoreClosedError } from '../../core/errors.js';
import { InFlightCalls } from '../../core/in-flight-calls.js';
import { checkIdentifier } from '../../core/store-options.js';
import type {
  AdapterCapabilities,
  AppendBatch,
  EventRecord,
  ReadAllQuery,
  ReadStreamQuery,
  SnapshotRecord,
  StorageAdapter,
  TransactionSession,
} from '../adapter.js';
import type { DeadLetterRecord, LeaseFence } from '../subscription-storage.js';
import * as subscriptions from './postgres-subscriptions.js';
import { PostgresWakeups } from './postgres-wakeups.js';
import { HeldConnection } from './held-connection.js';
import { migrate, STREAM_VERSION_CONSTRAINT } from './migrations.js';
import { checkEmptyAppend, diagnose, resolveRejection, tryAppend } from './postgres-append.js';
import { classifyPostgresError, isUniqueViolation, violatedConstraint } from './postgres-errors.js';
import { globalPosition, readAll, readStream, streamInfo } from './postgres-read.js';
import { PostgresSession } from './postgres-session.js';
import { loadSnapshot, saveSnapshot } from './postgres-snapshots.js';
import { prepareStatements, type PostgresStatements } from './postgres-statements.js';
import type { PostgresPool } from './postgres-types.js';

export interface PostgresAdapterOptions {
  /** Schema holding the store's tables (default `eventuali`); a lowercase identifier, created if missing. */
  schema?: string;
  /** Receives what cannot be thrown to a caller (a lost LISTEN connection, a failed NOTIFY). */
  onWarning?: (message: string, error: unknown) => void;
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
}

export const DEFAULT_SCHEMA = 'eventuali';

/** An append with expected version 'any' that loses the race for the next version tries again, this many times in all. */
const ANY_ATTEMPTS = 10;

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
export class PostgresAdapter implements StorageAdapter {
  readonly capabilities: AdapterCapabilities = { concurrentWriters: true, listenNotify: true, persistent: true };
  /** The schema holding the store's tables. */
  readonly schema: string;
  readonly #pool: PostgresPool;
  readonly #statements: PostgresStatements;
  readonly #subscriptions: subscriptions.SubscriptionStatements;
  readonly #wakeups: PostgresWakeups;
  readonly #ownsPool: boolean;
  readonly #secret: string | undefined;
  readonly #classify = (error: unknown): unknown => classifyPostgresError(error, this.#secret);
  /** The calls close() lets settle before it ends the pool: pg leaves a call waiting for a connection of an ended pool hanging. */
  readonly #calls = new InFlightCalls();
  #closing: Promise<void> | undefined;

  /** @internal build it with `createPostgresAdapter` or `openPostgresAdapter`, which create the schema. */
  constructor(init: PostgresAdapterInit) {
    checkIdentifier('schema', init.schema);
    this.schema = init.schema;
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
    this.#subscriptions = subscriptions.subscriptionStatements(init.schema);
    const warn = init.onWarning ?? ((message, error) => process.emitWarning(`eventuali: ${message}: ${String(error)}`));
    this.#wakeups = new PostgresWakeups(init.pool, `eventuali_${init.schema}`, (message, error) => warn(message, this.#classify(error)));
  }

  /** The pool, for read models that live in the same database. */
  get pool(): PostgresPool {
    return this.#pool;
  }

  /** @internal creates the schema's tables, or applies the migrations they lack. */
  migrate(): Promise<void> {
    return this.#call(() => migrate(this.#pool, this.schema));
  }

  append(batch: AppendBatch): Promise<EventRecord[]> {
    return this.#calls.run(() => this.#append(batch));
  }

  async #append(batch: AppendBatch): Promise<EventRecord[]> {
    const pool = this.#pool;
    const statements = this.#statements;
    try {
      if (batch.events.length === 0) return await checkEmptyAppend(pool, statements, batch);
      for (let attempt = 1; ; attempt++) {
        try {
          const records = await tryAppend(pool, statements, batch);
          if (records) return records;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // 'any' lost the next version to a concurrent writer: the statement is atomic, so run it again.
          if (batch.expectedVersion === 'any' && violatedConstraint(error) === STREAM_VERSION_CONSTRAINT && attempt < ANY_ATTEMPTS) {
            continue;
          }
        }
        // Outside a transaction the pool's other connections see what the winner committed.
        return resolveRejection(batch, await diagnose(pool, statements, batch));
      }
    } catch (error) {
      throw this.#classify(error);
    }
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
    const session = new PostgresSession(held.client, this.#statements, this.#subscriptions, this.#classify);
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

  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.#call(() => subscriptions.acquireLease(this.#pool, this.#subscriptions, name, owner, ttlMs));
  }

  leaseHolder(name: string): Promise<string | null> {
    return this.#call(() => subscriptions.leaseHolder(this.#pool, this.#subscriptions, name));
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.#call(() => subscriptions.releaseLease(this.#pool, this.#subscriptions, name, owner));
  }

  loadCheckpoint(subscriptionId: string): Promise<bigint | null> {
    return this.#call(() => subscriptions.loadCheckpoint(this.#pool, this.#subscriptions, subscriptionId));
  }

  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    return this.#call(() => subscriptions.saveCheckpoint(this.#pool, this.#subscriptions, subscriptionId, position, fence));
  }

  addDeadLetter(record: DeadLetterRecord): Promise<void> {
    return this.#call(() => subscriptions.addDeadLetter(this.#pool, this.#subscriptions, record));
  }

  listDeadLetters(subscriptionId: string): Promise<DeadLetterRecord[]> {
    return this.#call(() => subscriptions.listDeadLetters(this.#pool, this.#subscriptions, subscriptionId));
  }

  deleteDeadLetter(id: string): Promise<void> {
    return this.#call(() => subscriptions.deleteDeadLetter(this.#pool, this.#subscriptions, id));
  }

  readEvents(eventIds: readonly string[]): Promise<EventRecord[]> {
    return this.#call(() => subscriptions.readEvents(this.#pool, this.#subscriptions, eventIds));
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
      await this.#calls.close();
      await this.#wakeups.close();
      if (this.#ownsPool) await this.#pool.end();
    })();
    return this.#closing;
  }

  /** Runs a call in flight, its driver errors classified. */
  #call<T>(fn: () => Promise<T>): Promise<T> {
    return this.#calls.run(() => fn().catch(this.#reject));
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
  const adapter = new PostgresAdapter({
    pool,
    schema: options.schema ?? DEFAULT_SCHEMA,
    ownsPool: false,
    secret: undefined,
    onWarning: options.onWarning,
  });
  await adapter.migrate();
  return adapter;
}
