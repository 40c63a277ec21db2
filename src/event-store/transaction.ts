import type { ExpectedVersion, StorageSession } from '../store/event-log.js';
import type { Aggregate, AggregateClass } from '../core/aggregate.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Event, NewEvent } from '../core/event.js';
import type { ProjectionSession } from '../store/coordination.js';
import { appendEvents, loadAggregate, saveAggregate, type Committed, type StoreContext } from './store-operations.js';

/** What a transaction shares with the store that runs it. */
export interface TransactionScope {
  /** True while the transaction function runs; the handle refuses calls after. */
  open: boolean;
  /** The first operation that failed: the transaction is rollback-only, even if `fn` caught the error. */
  failure: { error: unknown } | undefined;
}

/**
 * The handle `store.transaction(fn)` gives `fn`: saves through it commit together, or not at all.
 * Once one of its operations fails, the transaction is rollback-only (as PostgreSQL treats an
 * aborted transaction): later operations reject with that first failure, and so does the commit,
 * even when `fn` caught it.
 *
 * @example
 * await store.transaction(async (tx) => {
 *   await tx.save(order);
 *   await tx.save(stock);
 * });
 */
export class Transaction {
  readonly #ctx: StoreContext;
  readonly #session: StorageSession;
  readonly #committed: Committed[];
  readonly #scope: TransactionScope;

  /** Made by `store.transaction()`; usable while `scope.open`, that is while the transaction function runs. */
  constructor(ctx: StoreContext, session: StorageSession, committed: Committed[], scope: TransactionScope) {
    this.#ctx = ctx;
    this.#session = session;
    this.#committed = committed;
    this.#scope = scope;
  }

  save(aggregate: Aggregate): Promise<Event[]> {
    return this.#run(async () => {
      const commit = await saveAggregate(this.#ctx, this.#session, aggregate);
      this.#committed.push(commit);
      return commit.events;
    });
  }

  async append(
    aggregateType: string,
    aggregateId: string,
    expectedVersion: ExpectedVersion,
    events: readonly (NewEvent | Event)[],
  ): Promise<Event[]> {
    return this.#run(async () => {
      const stored = await appendEvents(this.#ctx, this.#session, aggregateType, aggregateId, expectedVersion, events);
      this.#committed.push({ events: stored });
      return stored;
    });
  }

  /** Loads an aggregate, seeing this transaction's own writes. */
  load<T extends Aggregate>(cls: AggregateClass<T>, aggregateId: string): Promise<T | null> {
    return this.#run(() => loadAggregate(this.#ctx, this.#session, cls, aggregateId));
  }

  /**
   * Runs SQL in this transaction, so writes to your own tables commit with the events
   * (`?` placeholders on SQLite, `$1` on PostgreSQL). Throws on the memory adapter.
   */
  readonly query = <Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> =>
    this.#run(() => {
      const session = this.#session as StorageSession & Partial<ProjectionSession>;
      if (!session.query) return Promise.reject(new InvalidArgumentError('query', 'this adapter has no SQL'));
      return session.query<Row>(sql, params);
    });

  /** The driver's connection in this transaction (better-sqlite3 Database, pg PoolClient; null on memory). */
  get client(): unknown {
    return (this.#session as Partial<ProjectionSession>).client ?? null;
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    this.#checkActive();
    if (this.#scope.failure) throw this.#scope.failure.error;
    try {
      return await operation();
    } catch (error) {
      this.#scope.failure ??= { error };
      throw error;
    }
  }

  #checkActive(): void {
    if (!this.#scope.open) throw new InvalidArgumentError('transaction', 'is over: use it only inside the transaction function');
  }
}
