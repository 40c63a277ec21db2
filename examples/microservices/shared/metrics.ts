// #region metrics-route
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import { telemetry } from './telemetry.js';
import type { DurableSubscription } from './eventuali.js';

/**
 * One service's Prometheus metrics, in a registry of its own (several services can share a process
 * in tests): HTTP requests and durations, Node's process metrics, and which subscriptions this
 * process delivers. `/metrics` serves them, then eventuali's OpenTelemetry metrics (events
 * appended, append and handler durations, subscription lag, dead letters, sagas by status), which
 * the library records itself.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #subscriptions: Pick<DurableSubscription, 'id' | 'isActive'>[] = [];
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

  // #elide … the subscription gauge
  /** Reports whether this process delivers the subscription (holds its lease; for a consumer group, at least one partition's). */
  trackSubscription(subscription: Pick<DurableSubscription, 'id' | 'isActive'>): void {
    if (this.#subscriptions.length === 0) this.#registerSubscriptionGauge();
    this.#subscriptions.push(subscription);
  }

  #registerSubscriptionGauge(): void {
    const subscriptions = this.#subscriptions;
    new Gauge({
      name: 'eventuali_subscription_active',
      help: 'Whether this process holds the subscription lease and delivers its events (1) or not (0).',
      labelNames: ['subscription'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const subscription of subscriptions) this.set({ subscription: subscription.id }, subscription.isActive ? 1 : 0);
      },
    });
  }
  // #endelide
  /**
   * Times and counts every request, labelled by its route pattern (not its raw URL), and serves
   * `GET /metrics`: this registry, then the OpenTelemetry metrics of the process (eventuali's).
   */
  install(app: FastifyInstance): void {
    // #elide … the onResponse hook that counts and times every request
    app.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      };
      this.#requests.inc(labels);
      this.#durations.observe(labels, reply.elapsedTime / 1000);
    });
    // #endelide
    app.get('/metrics', async (_request, reply) => {
      const parts = [await this.registry.metrics(), (await telemetry()?.prometheusText()) ?? ''];
      // Each part's lines, one after the other, the text ending with a newline as the format wants.
      const text = parts.map((part) => part.trim()).filter((part) => part !== '').join('\n');
      return reply.type(this.registry.contentType).send(`${text}\n`);
    });
  }
}
// #endregion
