// #region metrics-route
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { telemetry } from './telemetry.js';
import { SAGA_STATUSES, type DurableSubscription, type EventStore, type SagaCoordinator } from './eventuali.js';

// #elide … LAG_CAP
/** Largest lag the lag gauge counts exactly; beyond it the gauge reads this value. */
const LAG_CAP = 1000;

// #endelide
/**
 * One service's Prometheus metrics, in a registry of its own (several services can share a process
 * in tests): HTTP requests and durations and Node's process metrics; subscription lag and activity
 * and sagas by status once the service asks for them. `/metrics` serves them, then eventuali's
 * OpenTelemetry metrics (events appended, append durations…), which the library records itself.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  // #elide … the other metrics, made in the constructor
  readonly #subscriptions: { store: EventStore; subscription: DurableSubscription }[] = [];
  readonly #requests: Counter<'method' | 'route' | 'status_code'>;
  readonly #durations: Histogram<'method' | 'route' | 'status_code'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
    // rejects them); the same numbers remain, by type, in nodejs_active_handles/requests/resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route and status code.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.#durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method, route and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }
  // #endelide

  // #elide … the subscription and saga gauges
  /** Reports the subscription's lag and activity. */
  trackSubscription(store: EventStore, subscription: DurableSubscription): void {
    if (this.#subscriptions.length === 0) this.#registerSubscriptionGauges();
    this.#subscriptions.push({ store, subscription });
  }

  #registerSubscriptionGauges(): void {
    const subscriptions = this.#subscriptions;
    const registers = [this.registry];
    new Gauge({
      name: 'eventuali_subscription_lag_events',
      help: `Events a durable subscription has still to handle (counted up to ${LAG_CAP}), where this process holds its lease.`,
      labelNames: ['subscription'],
      registers,
      async collect() {
        this.reset();
        for (const { store, subscription } of subscriptions) {
          // Only the instance holding the lease knows the live position.
          if (subscription.isActive) this.set({ subscription: subscription.id }, await lagOf(store, subscription));
        }
      },
    });
    new Gauge({
      name: 'eventuali_subscription_active',
      help: 'Whether this process holds the subscription lease and delivers its events (1) or not (0).',
      labelNames: ['subscription'],
      registers,
      collect() {
        this.reset();
        for (const { subscription } of subscriptions) this.set({ subscription: subscription.id }, subscription.isActive ? 1 : 0);
      },
    });
  }

  /** Reports the sagas in the store by status (read at scrape time). */
  trackSagas(coordinator: SagaCoordinator, sagaName: string): void {
    new Gauge({
      name: 'eventuali_sagas',
      help: 'Sagas in the event store, by saga name and status.',
      labelNames: ['saga', 'status'],
      registers: [this.registry],
      async collect() {
        const counts = new Map<string, number>(SAGA_STATUSES.map((status) => [status, 0]));
        for (const saga of await coordinator.list({ name: sagaName })) counts.set(saga.status, (counts.get(saga.status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ saga: sagaName, status }, count);
      },
    });
  }

  // #endelide
  /**
   * Times and counts every request, labelled by its route pattern (not its raw URL), and serves
   * `GET /metrics`: this registry, then the OpenTelemetry metrics of the process (eventuali's).
   */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      };
      this.#requests.inc(labels);
      this.#durations.observe(labels, reply.elapsedTime / 1000);
    });
    app.get('/metrics', async (_request, reply) => {
      const parts = [await this.registry.metrics(), (await telemetry()?.prometheusText()) ?? ''];
      // Each part's lines, one after the other, the text ending with a newline as the format wants.
      const text = parts.map((part) => part.trim()).filter((part) => part !== '').join('\n');
      return reply.type(this.registry.contentType).send(`${text}\n`);
    });
  }
}
// #endregion

async function lagOf(store: EventStore, subscription: DurableSubscription): Promise<number> {
  try {
    const pending = await store.readAll({
      fromPosition: subscription.position,
      limit: LAG_CAP,
      ...(subscription.options.eventTypes ? { eventTypes: subscription.options.eventTypes } : {}),
      ...(subscription.options.aggregateTypes ? { aggregateTypes: subscription.options.aggregateTypes } : {}),
    });
    return pending.length;
  } catch {
    return Number.NaN;
  }
}
