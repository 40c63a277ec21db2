import { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { SubscriptionError } from '../streaming/durable/subscription-errors.js';
import type { SubscriptionHost } from '../streaming/durable/subscription-host.js';
import { resolveSubscriptionOptions, type ResolvedSubscriptionOptions, type SubscriptionOptions } from '../streaming/durable/subscription-options.js';
import { ConsumerGroup } from '../streaming/durable/consumer-group.js';
import type { EventStreamer } from '../streaming/live/event-streamer.js';
import type { Projection } from '../projections/projection.js';
import type { Aggregate } from '../core/aggregate.js';
import { InvalidArgumentError, UnknownEventTypeError } from '../core/errors.js';
import type { Event, EventDefinition } from '../core/event.js';
import { writeSnapshot, type Committed, type StoreContext } from './store-operations.js';
import { countAppended } from './store-telemetry.js';
import { HandlerMetrics } from '../observability/handler-metrics.js';
import { SubscriptionTelemetry } from '../observability/subscription-telemetry.js';

/** Options of `store.projection()`: a subscription's, less what the projection decides. */
/** A projection's options: a subscription's, except what the projection defines (and `concurrency`: a projection applies its events in log order). */
export type ProjectionOptions = Omit<SubscriptionOptions, 'id' | 'handle' | 'events' | 'eventTypes' | 'aggregateTypes' | 'concurrency'>;

/**
 * @internal what a store runs besides reads and writes: what follows a commit (snapshots, wake-ups,
 * publishing), and the subscriptions and projections opened on it.
 */
export class StoreRuntime {
  readonly host: SubscriptionHost;
  readonly #ctx: StoreContext;
  readonly #streamer: EventStreamer | undefined;
  readonly #commitListeners = new Set<() => void>();
  readonly #subscriptions = new Map<string, { stop(): Promise<void> }>();
  #publishing: Promise<void> = Promise.resolve();
  /** The setup of inline projections, which saves wait for. */
  #inlineSetup: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;
  #closed = false;
  /** The handler metrics of every subscription and projection of this store. */
  readonly #handlerMetrics: HandlerMetrics;

  constructor(ctx: StoreContext, streamer: EventStreamer | undefined, save: (aggregate: Aggregate) => Promise<Event[]>) {
    this.#ctx = ctx;
    this.#streamer = streamer;
    const handlerMetrics = (this.#handlerMetrics = new HandlerMetrics(ctx.instrumentation));
    this.host = {
      adapter: ctx.adapter,
      registry: ctx.registry,
      onCommit: (listener) => {
        this.#commitListeners.add(listener);
        // Other processes' commits arrive by the adapter's push channel, where it has one.
        this.#unwatch ??= ctx.adapter.watch?.(() => this.#wakeListeners());
        return () => this.#commitListeners.delete(listener);
      },
      save,
      release: (id) => {
        // Keep the entry while the handle can be started again; drop it only once closed.
        if (this.#closed) this.#subscriptions.delete(id);
      },
      isClosed: () => this.#closed,
      warn: ctx.warn,
      instrumentation: ctx.instrumentation,
      telemetry: (id, kind, slowHandlerMs) => new SubscriptionTelemetry(ctx.instrumentation, handlerMetrics, id, kind, slowHandlerMs),
    };
  }

  /** Resolves once the inline projections' setup ran. */
  get inlineSetup(): Promise<void> {
    return this.#inlineSetup;
  }

  subscribe<D extends readonly EventDefinition[]>(options: SubscriptionOptions<D>): DurableSubscription | ConsumerGroup {
    const resolved = resolveSubscriptionOptions(options);
    const { registry } = this.#ctx;
    for (const definition of resolved.definitions) registry.register(definition);
    if (registry.unknownEvents !== 'raw') {
      for (const type of resolved.eventTypes ?? []) {
        if (!registry.get(type)) throw new UnknownEventTypeError(type);
      }
    }
    if (isGroup(resolved)) return this.#add(resolved.id, () => new ConsumerGroup(this.host, resolved, (o) => new DurableSubscription(this.host, o)));
    return this.#add(resolved.id, () => new DurableSubscription(this.host, resolved));
  }

  projection(projection: Projection, options: ProjectionOptions): ProjectionRunner | ConsumerGroup {
    if ((options as { concurrency?: unknown }).concurrency !== undefined) {
      throw new InvalidArgumentError('concurrency', 'a projection applies its events one after the other, in log order');
    }
    for (const definition of projection.definitions) this.#ctx.registry.register(definition);
    const resolved = resolveSubscriptionOptions({
      ...options,
      id: projection.name,
      eventTypes: projection.eventTypes.length > 0 ? projection.eventTypes : projection.definitions.map((d) => d.type),
      handle: () => undefined,
    });
    if (isGroup(resolved)) return this.#add(resolved.id, () => new ConsumerGroup(this.host, resolved, (o) => new ProjectionRunner(this.host, projection, o)));
    return this.#add(resolved.id, () => new ProjectionRunner(this.host, projection, resolved));
  }

  addInlineProjection(projection: Projection): void {
    for (const definition of projection.definitions) this.#ctx.registry.register(definition);
    this.#ctx.inlineProjections.push(projection);
    // Its setup runs in a transaction of its own; writes wait for it (and fail with its error).
    const setup = this.#inlineSetup.then(() =>
      this.#ctx.adapter.transaction((session) => projection.setup({ query: session.query, client: session.client, documents: session.documents })).catch((error: unknown) => {
        this.#ctx.warn(`the setup of inline projection ${projection.name} failed; every write of this store rejects with its error`, error);
        throw error;
      }),
    );
    // Handled here, so a failure is no unhandled rejection before (or without) a write to see it.
    setup.catch(() => undefined);
    this.#inlineSetup = setup;
  }

  /** Runs after every commit: snapshots, wake-ups, then publishing to the streamer in commit order. */
  async afterCommit(commits: readonly Committed[]): Promise<void> {
    for (const { events } of commits) countAppended(this.#ctx.telemetry, events);
    for (const { saved } of commits) {
      if (saved?.snapshot) await writeSnapshot(this.#ctx, saved.aggregate);
    }
    this.#ctx.adapter.notifyCommitted?.();
    this.#wakeListeners();
    const streamer = this.#streamer;
    if (!streamer) return;
    // Chained, so concurrent saves publish in the order they committed. The events are stored
    // whatever happens here: a failed publish (a closed streamer) warns, it does not fail the save.
    const publish = this.#publishing.then(async () => {
      for (const { events } of commits) {
        for (const event of events) await streamer.publishEvent(event, event.aggregateVersion, event.globalPosition);
      }
    });
    this.#publishing = publish.catch((error: unknown) => this.#ctx.warn('committed events were not published to the streamer', error));
    await this.#publishing;
  }

  /** Stops every subscription and waits for publishing and the inline projections' setup to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#inlineSetup.catch(() => undefined);
    await Promise.all([...this.#subscriptions.values()].map((s) => s.stop()));
    this.#subscriptions.clear();
    this.#handlerMetrics.close();
    this.#unwatch?.();
    await this.#publishing;
  }

  #add<S extends { stop(): Promise<void> }>(id: string, make: () => S): S {
    if (this.#subscriptions.has(id)) throw new SubscriptionError(id, 'this store already has a subscription with this id');
    const subscription = make();
    this.#subscriptions.set(id, subscription);
    return subscription;
  }

  #wakeListeners(): void {
    for (const listener of this.#commitListeners) listener();
  }
}

function isGroup(options: ResolvedSubscriptionOptions): options is ResolvedSubscriptionOptions & { partitions: number } {
  return options.partitions !== undefined;
}
