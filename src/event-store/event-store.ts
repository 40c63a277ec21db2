import type { ExpectedVersion, StorageSession } from '../store/event-log.js';
import type { StorageAdapter } from '../store/adapter.js';
import { MemoryAdapter } from '../store/memory/memory-adapter.js';
import type { Aggregate, AggregateClass } from '../core/aggregate.js';
import type { CheckedAggregateClass } from '../core/aggregate-events.js';
import { aggregateInternals } from '../core/aggregate.js';
import type { Decider, DeciderEventOf } from '../core/decider.js';
import { StoreClosedError } from '../core/errors.js';
import type { Event, EventDefinition, NewEvent } from '../core/event.js';
import { checkId } from '../core/event.js';
import { EventRegistry } from '../core/event-registry.js';
import { InFlightCalls } from '../core/in-flight-calls.js';
import { checkSaveOptions, updateAggregate } from './aggregate-commands.js';
import { builtInEvents } from './built-in-events.js';
import type { CommandHost, HandleOptions, SaveOptions, UpdateOptions } from './command-options.js';
import { handleCommand, loadDeciderState, type HandleResult, type LoadedState } from './decider-operations.js';
import { openAdapter } from './open-adapter.js';
import { appendEvents, loadAggregate, saveAggregate, type Committed, type StoreContext } from './store-operations.js';
import { StoreRuntime, type ProjectionOptions } from './store-runtime.js';
import { checkOptionsObject } from '../core/checks.js';
import type { EventStoreOptions } from '../core/store-options.js';
import { checkStoreOptions, type CreateStoreOptions } from './store-options.js';
import { loadStreamEvents, readLogEvents, type LoadEventsOptions, type ReadAllOptions } from './store-reads.js';
import { Transaction, type TransactionScope } from './transaction.js';
import { Instrumentation, type ObservabilityOptions } from '../observability/instrumentation.js';
import { aggregateAttributes, eventAttributes, storeSpan, storeTelemetry, timedAppend } from './store-telemetry.js';
import { SPAN_ATTRIBUTES as ATTR } from '../observability/attribute-names.js';
import type { TraceSpan } from '../observability/span-types.js';
import type { EventStreamer } from '../streaming/live/event-streamer.js';
import type { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import type { ConsumerGroup } from '../streaming/durable/consumer-group.js';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import type { Projection } from '../projections/projection.js';
import type { SubscriptionOptions } from '../streaming/durable/subscription-options.js';
import { isReadModel, type ReadModel } from '../projections/define-read-model.js';
import type { ReadModelDocuments } from '../projections/read-model-documents.js';
import { ReadModelKeeper, type InlineReadModel, type ReadModelOptions } from '../projections/read-model-keeper.js';

/** Streaming options of a store. */
export interface StreamingOptions {
  /** Publish every committed event to this in-process streamer, after commit, in commit order. */
  streamer?: EventStreamer;
}

/**
 * The event store: saves and loads aggregates, reads the store-wide log.
 *
 * @example
 * const store = await EventStore.create('sqlite://./data/events.db');
 * const user = new User();
 * user.register('ann', 'ann@example.com');
 * await store.save(user);
 * const again = await store.load(User, user.id);
 */
export class EventStore {
  readonly #ctx: StoreContext;
  readonly #runtime: StoreRuntime;
  readonly #commands: CommandHost;
  readonly #readModels: ReadModelKeeper;
  /** Every call in flight, which close() lets settle before it closes the adapter. */
  readonly #calls = new InFlightCalls();
  #closing: Promise<void> | undefined;

  /** Opens a store from a URL: `memory:`, `sqlite::memory:`, `sqlite://path.db`, `postgresql://…`. */
  static async create(url: string, options: CreateStoreOptions & StreamingOptions = {}): Promise<EventStore> {
    checkStoreOptions(options);
    // The adapter's own warnings (PostgreSQL's lost wake-up channel) reach the logger too.
    const { logger, onWarning } = options;
    const warnings = logger === undefined ? undefined : new Instrumentation({ tracing: false, metrics: false, logger, onWarning });
    const adapter = await openAdapter(url, warnings ? { ...options, onWarning: (message, error) => warnings.warn(message, error) } : options);
    return new EventStore(adapter, options);
  }

  /** A store over an adapter you built (see `eventuali/sqlite` and `eventuali/postgres`). */
  constructor(adapter: StorageAdapter = new MemoryAdapter(), options: EventStoreOptions & StreamingOptions & ObservabilityOptions = {}) {
    checkStoreOptions(options);
    const instrumentation = new Instrumentation({
      tracing: options.tracing,
      metrics: options.metrics,
      logger: options.logger,
      onWarning: options.onWarning,
    });
    this.#ctx = {
      adapter,
      registry: new EventRegistry({ validate: options.validateOnRead ?? true }, options.unknownEvents ?? 'error'),
      snapshotEvery: options.snapshotEvery,
      inlineProjections: [],
      warn: (message, error) => instrumentation.warn(message, error),
      instrumentation,
      telemetry: storeTelemetry(instrumentation, adapter),
    };
    for (const definition of builtInEvents()) this.#ctx.registry.register(definition);
    this.#runtime = new StoreRuntime(this.#ctx, options.streamer, (aggregate) => this.save(aggregate));
    this.#commands = {
      ctx: this.#ctx,
      load: (cls, id) => this.#calls.run(() => loadAggregate(this.#ctx, this.#ctx.adapter, cls, id)),
      save: (aggregate) => this.save(aggregate),
      append: (type, id, expected, events) => this.append(type, id, expected, events),
    };
    this.#readModels = new ReadModelKeeper({
      adapter,
      registry: this.#ctx.registry,
      runProjection: (projection, projectionOptions) => this.#runtime.projection(projection, projectionOptions),
      addInlineProjection: (projection) => this.#runtime.addInlineProjection(projection),
      inlineSetup: () => this.#runtime.inlineSetup,
      call: (fn) => this.#calls.run(fn),
    });
  }

  /**
   * The storage adapter this store runs on: for what is built on top of the store (sagas take
   * their coordinator leases through it) and for read models in the same database.
   */
  get adapter(): StorageAdapter {
    return this.#ctx.adapter;
  }

  /**
   * The store's tracing, metrics and logger, for code built on the store (sagas, your own
   * consumers): spans that continue the traces events carry, instruments on the registered
   * meter provider, the `logger` option. No-ops without a provider or a logger.
   */
  get instrumentation(): Instrumentation {
    return this.#ctx.instrumentation;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#calls.closed;
  }

  /** The storage adapter's declared capabilities. */
  get capabilities(): StorageAdapter['capabilities'] {
    return this.#ctx.adapter.capabilities;
  }

  /** Registers event definitions so reads can decode their types (save registers what it writes). */
  register(...definitions: EventDefinition[]): this {
    this.#checkOpen();
    for (const definition of definitions) this.#ctx.registry.register(definition);
    return this;
  }

  /**
   * Appends the aggregate's uncommitted events, expecting the version it was loaded at, then marks
   * them committed. Throws `ConcurrencyError` (nothing written) when another writer got there first,
   * or, given `expectedVersion`, when the aggregate was loaded at another version.
   */
  save(aggregate: Aggregate, options?: SaveOptions): Promise<Event[]> {
    return this.#calls.run(() =>
      timedAppend(this.#ctx.telemetry, aggregate?.aggregateType, async () => {
        checkSaveOptions(aggregate, options);
        if (this.#ctx.inlineProjections.length > 0) return this.#transaction((tx) => tx.save(aggregate));
        const committed = await saveAggregate(this.#ctx, this.#ctx.adapter, aggregate);
        await this.#runtime.afterCommit([committed]);
        return committed.events;
      }),
    );
  }

  /** Appends events to an aggregate without an Aggregate class. */
  append(
    aggregateType: string,
    aggregateId: string,
    expectedVersion: ExpectedVersion,
    events: readonly (NewEvent | Event)[],
  ): Promise<Event[]> {
    return this.#calls.run(() =>
      timedAppend(this.#ctx.telemetry, aggregateType, async () => {
        if (this.#ctx.inlineProjections.length > 0) {
          return this.#transaction((tx) => tx.append(aggregateType, aggregateId, expectedVersion, events));
        }
        const stored = await appendEvents(this.#ctx, this.#ctx.adapter, aggregateType, aggregateId, expectedVersion, events);
        await this.#runtime.afterCommit([{ events: stored }]);
        return stored;
      }),
    );
  }

  /**
   * Rebuilds an aggregate from its snapshot and events; `null` when it has no events. A class with
   * `static readonly events = [...] as const` has its handlers checked at compile time.
   */
  load<C extends AggregateClass>(cls: C & CheckedAggregateClass<C>, aggregateId: string): Promise<InstanceType<C> | null> {
    return this.#calls.run(() => loadAggregate(this.#ctx, this.#ctx.adapter, cls as AggregateClass<InstanceType<C>>, aggregateId));
  }

  /**
   * Loads, runs `command`, saves; on a conflict reloads and runs it again, at most `maxRetries` more
   * times. Returns the saved aggregate. Throws `AggregateNotFoundError` when it has no events
   * (unless `createIfMissing`); given `expectedVersion`, `ConcurrencyError` when it is at another.
   */
  async update<C extends AggregateClass>(
    cls: C & CheckedAggregateClass<C>,
    aggregateId: string,
    command: (aggregate: InstanceType<C>) => unknown,
    options?: UpdateOptions,
  ): Promise<InstanceType<C>> {
    return updateAggregate(this.#commands, cls as AggregateClass<InstanceType<C>>, aggregateId, command, options);
  }

  /**
   * Runs a command through a decider: loads the stream's state (a missing stream is version 0 in
   * `initialState()`), runs `decide`, appends its events expecting that version. On a conflict it
   * loads and decides again, at most `maxRetries` more times; given `expectedVersion`, a stream at
   * another version is a `ConcurrencyError` and nothing is written.
   *
   * @example
   * const { events, version, state } = await store.handle(Cart, cartId, { type: 'Confirm' }, { expectedVersion: 3 });
   */
  handle<C, S, E extends readonly EventDefinition[]>(
    decider: Decider<C, S, E>,
    aggregateId: string,
    command: NoInfer<C>,
    options?: HandleOptions,
  ): Promise<HandleResult<S, DeciderEventOf<E>>> {
    return this.#calls.run(() =>
      storeSpan(this.#ctx.telemetry, 'handle', async (span) => {
        span?.setAttributes(aggregateAttributes(decider?.streamType, aggregateId));
        const result = await handleCommand(this.#commands, decider, aggregateId, command, options);
        if (span) {
          span.setAttributes(eventAttributes(result.events as Event[]));
          span.setAttribute(ATTR.version, result.version);
        }
        return result;
      }),
    );
  }

  /**
   * A decider's stream state and version, from its snapshot and events; `null` when it has no events.
   *
   * @example
   * const loaded = await store.loadState(Cart, cartId); // { state, version } | null
   */
  loadState<C, S, E extends readonly EventDefinition[]>(decider: Decider<C, S, E>, aggregateId: string): Promise<LoadedState<S> | null> {
    return this.#calls.run(() => loadDeciderState(this.#ctx, this.#ctx.adapter, decider, aggregateId));
  }

  /** The aggregate's events, versions `fromVersion` to `toVersion` inclusive. */
  loadEvents(aggregateId: string, options: LoadEventsOptions = {}): Promise<Event[]> {
    return this.#calls.run(() =>
      storeSpan(this.#ctx.telemetry, 'load', async (span) => {
        span?.setAttributes(aggregateAttributes(undefined, aggregateId));
        const events = await loadStreamEvents(this.#ctx, aggregateId, options);
        span?.setAttributes(eventAttributes(events));
        return events;
      }),
    );
  }

  /** Events of every aggregate of one type, in log order. */
  async loadEventsByType(aggregateType: string, options: Omit<ReadAllOptions, 'aggregateTypes'> = {}): Promise<Event[]> {
    checkId('aggregate type', aggregateType);
    checkOptionsObject('loadEventsByType options', options);
    return this.readAll({ ...options, aggregateTypes: [aggregateType] });
  }

  /**
   * The store-wide log in order, after `fromPosition`. Never skips an event that commits late; on
   * PostgreSQL, events of transactions still in flight are not visible yet.
   */
  readAll(options: ReadAllOptions = {}): Promise<Event[]> {
    return this.#calls.run(() =>
      storeSpan(this.#ctx.telemetry, 'read_all', async (span) => {
        const events = await readLogEvents(this.#ctx, options);
        span?.setAttributes(eventAttributes(events));
        return events;
      }),
    );
  }

  /** Position of the last event in log order that readers can see (`0n` when empty). */
  getGlobalPosition(): Promise<bigint> {
    return this.#calls.run(() => this.#ctx.adapter.globalPosition());
  }

  /** The aggregate's current version; 0 when it has no events. */
  getAggregateVersion(aggregateId: string): Promise<number> {
    return this.#calls.run(async () => {
      checkId('aggregate id', aggregateId);
      return (await this.#ctx.adapter.streamInfo(aggregateId))?.version ?? 0;
    });
  }

  /**
   * Runs `fn` in one transaction: everything it saves commits together or not at all. An error
   * thrown inside is rethrown as is, after the rollback. Once an operation through `tx` has
   * failed, the transaction is rollback-only: later operations and the commit reject with that
   * first failure, even when `fn` caught it.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#calls.run(() =>
      storeSpan(this.#ctx.telemetry, 'transaction', (span) => this.#transaction(fn, span)),
    );
  }

  async #transaction<T>(fn: (tx: Transaction) => Promise<T>, span?: TraceSpan): Promise<T> {
    // Every write waits for the inline projections' setup (and fails with its error).
    if (this.#ctx.inlineProjections.length > 0) await this.#runtime.inlineSetup;
    const committed: Committed[] = [];
    let result: T;
    try {
      result = await this.#ctx.adapter.transaction(async (session: StorageSession) => {
        const scope: TransactionScope = { open: true, failure: undefined };
        let value: T;
        try {
          value = await fn(new Transaction(this.#ctx, session, committed, scope));
        } finally {
          scope.open = false;
        }
        // Rollback-only: an operation failed, even if fn caught its error.
        if (scope.failure) throw scope.failure.error;
        return value;
      });
    } catch (error) {
      // Rolled back: the aggregates saved in it hold their events as uncommitted again.
      for (const { saved } of committed.reverse()) {
        if (saved) aggregateInternals().uncommit(saved.aggregate, saved.pending);
      }
      throw error;
    }
    span?.setAttribute(ATTR.eventCount, committed.reduce((n, c) => n + c.events.length, 0));
    await this.#runtime.afterCommit(committed);
    return result;
  }

  /**
   * A durable subscription: catches up from `from` (or its stored checkpoint), then follows live.
   * Call `start()` on the handle to begin. One active instance per id across processes. Given
   * `events: [A, B]`, its handler gets `EventOf<A> | EventOf<B>`. With `partitions: N`, a consumer
   * group: every process subscribing with this id shares the N partitions (see `ConsumerGroup`).
   */
  subscribe<const D extends readonly EventDefinition[] = readonly EventDefinition[]>(options: SubscriptionOptions<D> & { partitions: number }): ConsumerGroup;
  subscribe<const D extends readonly EventDefinition[] = readonly EventDefinition[]>(
    options: SubscriptionOptions<D> & { partitions?: undefined; partitionConcurrency?: undefined },
  ): DurableSubscription;
  subscribe<const D extends readonly EventDefinition[] = readonly EventDefinition[]>(options: SubscriptionOptions<D>): DurableSubscription | ConsumerGroup;
  subscribe<const D extends readonly EventDefinition[] = readonly EventDefinition[]>(options: SubscriptionOptions<D>): DurableSubscription | ConsumerGroup {
    this.#checkOpen();
    return this.#runtime.subscribe(options);
  }

  /**
   * Runs a projection on a durable subscription named after it. With a read model in the store's
   * database, each batch's writes and the checkpoint commit together. Call `start()` to begin.
   */
  projection(projection: Projection, options: ProjectionOptions & { partitions: number }): ConsumerGroup;
  projection(projection: Projection, options?: ProjectionOptions): ProjectionRunner;
  /**
   * Keeps a read model's documents (`defineReadModel`): on a durable subscription named after it,
   * committed with its checkpoint, or with `{ inline: true }` inside every append's transaction.
   */
  projection(model: ReadModel<unknown, never>, options: ReadModelOptions & { inline?: false; partitions: number }): ConsumerGroup;
  projection(model: ReadModel<unknown, never>, options?: ReadModelOptions & { inline?: false }): ProjectionRunner;
  projection(model: ReadModel<unknown, never>, options: ReadModelOptions & { inline: true }): InlineReadModel;
  projection(model: ReadModel<unknown, never>, options?: ReadModelOptions): ProjectionRunner | ConsumerGroup | InlineReadModel;
  projection(projection: Projection | ReadModel<unknown, never>, options: ReadModelOptions = {}): ProjectionRunner | ConsumerGroup | InlineReadModel {
    this.#checkOpen();
    if (isReadModel(projection)) return this.#readModels.keep(projection, options);
    return this.#runtime.projection(projection, options);
  }

  /**
   * A read model's documents in this store: `get`, `find`, `count`, with `waitFor` to read your own
   * writes from an async projection.
   */
  documents<Doc>(model: ReadModel<Doc, never>): ReadModelDocuments<Doc> {
    this.#checkOpen();
    return this.#readModels.documents(model);
  }

  /**
   * Runs a projection inside every append's transaction from now on: the read model is never
   * behind the events. Its `setup` runs first; saves then always use a transaction (one more
   * round trip on PostgreSQL).
   */
  addInlineProjection(projection: Projection): this {
    this.#checkOpen();
    this.#runtime.addInlineProjection(projection);
    return this;
  }

  /**
   * Closes the store: later calls throw `StoreClosedError`; the calls made before settle first
   * (they complete, or reject with their own error), then its subscriptions stop and the adapter
   * closes. Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#calls.close();
      await this.#runtime.close();
      await this.#ctx.adapter.close();
    })();
    return this.#closing;
  }

  #checkOpen(): void {
    if (this.#calls.closed) throw new StoreClosedError();
  }
}
