// #region close
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import {
  EventStore,
  type ConsumerGroup,
  type DurableSubscription,
  type EventDefinition,
  type SubscriptionOptions,
} from './eventuali.js';
import { redactUrl, storeUrlFromEnv } from './config.js';
import { Health, storeCheck, subscriptionsCheck } from './health.js';
import { createHttpApp, type LoggerOption } from './http-app.js';
import { ServiceMetrics } from './metrics.js';

// #elide … the ServiceOptions, HttpService and RunningService types
/** Options every `createXxxService()` takes. */
export interface ServiceOptions {
  /** The event store URL (default: from the environment, see `storeUrlFromEnv`). */
  storeUrl?: string;
  /** Fastify's logger options; `false` silences the service (tests). */
  logger?: LoggerOption;
}

/** A service's app to listen with, and how to shut it down. */
export interface HttpService {
  app: FastifyInstance;
  /** Stops taking requests (in-flight ones finish), then stops everything else. Safe to call twice. */
  close(): Promise<void>;
}

/** What `createXxxService()` returns. `close()` also stops subscriptions and sagas and closes the store. */
export interface RunningService extends HttpService {
  store: EventStore;
}
// #endelide

/**
 * The parts every service is built from: its event store (opened from the environment, logging
 * through the service's logger), the HTTP app, metrics, health checks, and the service's durable subscriptions, with an orderly
 * close. The store's spans and metrics need nothing here: the process registered OpenTelemetry's
 * providers first (see telemetry.ts).
 */
export class ServiceKit {
  readonly subscriptions: (DurableSubscription | ConsumerGroup)[] = [];
  readonly #closers: (() => Promise<void>)[] = [];
  #closing: Promise<void> | undefined;

  private constructor(
    readonly app: FastifyInstance,
    readonly store: EventStore,
    readonly metrics: ServiceMetrics,
    readonly health: Health,
  ) {}

  // #elide … create(), which opens the store and builds the app, and the other methods
  static async create(service: string, events: readonly EventDefinition[], options: ServiceOptions = {}): Promise<ServiceKit> {
    const metrics = new ServiceMetrics(service);
    const storeUrl = options.storeUrl ?? storeUrlFromEnv();
    const app = createHttpApp({ service, metrics, ...(options.logger === undefined ? {} : { logger: options.logger }) });
    // The store logs (leases, retries, dead letters, slow handlers, warnings) through the service's pino logger.
    const store = await EventStore.create(storeUrl, { logger: app.log });
    store.register(...events);
    const health = new Health(service);
    const kit = new ServiceKit(app, store, metrics, health);
    health.add('store', storeCheck(store)).add('subscriptions', subscriptionsCheck(kit.subscriptions));
    health.install(app);
    app.log.info({ store: redactUrl(storeUrl) }, `${service} opened its event store`);
    return kit;
  }

  get log(): FastifyBaseLogger {
    return this.app.log;
  }

  /**
   * A durable subscription of this service, or with `partitions` a consumer group every instance
   * of the service shares: reported by health and metrics, failures logged.
   */
  subscribe(options: SubscriptionOptions & { partitions: number }): ConsumerGroup;
  subscribe(options: SubscriptionOptions & { partitions?: undefined }): DurableSubscription;
  subscribe(options: SubscriptionOptions): DurableSubscription | ConsumerGroup {
    const subscription = this.store.subscribe(options);
    return 'partitionCount' in subscription ? this.#trackGroup(subscription) : this.track(subscription);
  }

  #trackGroup(group: ConsumerGroup): ConsumerGroup {
    this.subscriptions.push(group);
    this.metrics.trackSubscription(group);
    const log = this.log.child({ subscription: group.id });
    group.on('error', (error, info) =>
      log.warn(
        { err: error, partition: info.partition, event_type: info.event?.eventType, event_id: info.event?.eventId, correlation_id: info.event?.metadata.correlationId, attempt: info.attempt, will_retry: info.willRetry },
        'subscription handler failed',
      ),
    );
    group.on('dead-letter', (letter) => log.error({ dead_letter: letter }, 'event parked in the dead-letter table'));
    group.on('partitions', (owned) => log.info({ partitions: owned }, `consumer group partitions: ${owned.length > 0 ? owned.join(', ') : 'none'}`));
    return group;
  }

  /** Reports a subscription made elsewhere (e.g. by a saga coordinator) like the service's own. */
  track(subscription: DurableSubscription): DurableSubscription {
    this.subscriptions.push(subscription);
    this.metrics.trackSubscription(subscription);
    const log = this.log.child({ subscription: subscription.id });
    subscription.on('error', (error, info) =>
      log.warn(
        { err: error, event_type: info.event?.eventType, event_id: info.event?.eventId, correlation_id: info.event?.metadata.correlationId, attempt: info.attempt, will_retry: info.willRetry },
        'subscription handler failed',
      ),
    );
    subscription.on('dead-letter', (letter) => log.error({ dead_letter: letter }, 'event parked in the dead-letter table'));
    subscription.on('active', () => log.info('subscription active'));
    if (subscription.isActive) log.info('subscription active');
    return subscription;
  }

  /** Runs `fn` when the service closes, before the subscriptions stop (last added runs first). */
  onClose(fn: () => Promise<void>): void {
    this.#closers.unshift(fn);
  }

  /** Starts every subscription made with `subscribe()`. */
  async startSubscriptions(): Promise<void> {
    for (const subscription of this.subscriptions) await subscription.start();
  }

  // #endelide
  /** Not ready → no new requests (in-flight ones finish) → closers → subscriptions stopped → store closed. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.health.markShuttingDown();
      await this.app.close();
      for (const closer of this.#closers) await closer();
      await Promise.all(this.subscriptions.map((s) => s.stop()));
      await this.store.close();
    })();
    return this.#closing;
  }
  // #elide … running()

  /** The handle `createXxxService()` returns. */
  running(): RunningService {
    return { app: this.app, store: this.store, close: () => this.close() };
  }
  // #endelide
}
// #endregion
