// #region imports
import type { FastifyInstance } from 'fastify';
import type { ConsumerGroup, DurableSubscription, EventStore } from './eventuali.js';

/** One check's outcome, as `/health` reports it. */
export interface CheckResult {
  status: 'healthy' | 'unhealthy';
  [detail: string]: unknown;
}

export type HealthCheck = () => Promise<CheckResult>;
// #endregion

/**
 * Health checks of a service and the three endpoints that report them: `/health` (every check,
 * 200 or 503), `/health/ready` (503 while a check fails or the service is shutting down) and
 * `/health/live` (the process answers).
 */
export class Health {
  readonly #checks = new Map<string, HealthCheck>();
  #shuttingDown = false;

  constructor(readonly service: string, readonly version = '1.0.0') {}

  add(name: string, check: HealthCheck): this {
    this.#checks.set(name, check);
    return this;
  }

  /** From now on the service reports not ready, so load balancers stop sending it work. */
  markShuttingDown(): void {
    this.#shuttingDown = true;
  }

  async report(): Promise<{ status: 'healthy' | 'unhealthy'; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {};
    await Promise.all(
      [...this.#checks].map(async ([name, check]) => {
        try {
          checks[name] = await check();
        } catch (error) {
          checks[name] = { status: 'unhealthy', error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const healthy = !this.#shuttingDown && Object.values(checks).every((c) => c.status === 'healthy');
    return { status: healthy ? 'healthy' : 'unhealthy', checks };
  }

  install(app: FastifyInstance): void {
    app.get('/health', async (_request, reply) => {
      const { status, checks } = await this.report();
      return reply.status(status === 'healthy' ? 200 : 503).send({
        status,
        service: this.service,
        version: this.version,
        timestamp: new Date().toISOString(),
        shutting_down: this.#shuttingDown,
        checks,
      });
    });
    app.get('/health/ready', async (_request, reply) => {
      const { status, checks } = await this.report();
      if (status === 'healthy') return { status: 'ready' };
      return reply.status(503).send({ status: 'not ready', shutting_down: this.#shuttingDown, checks });
    });
    app.get('/health/live', async () => ({ status: 'alive' }));
  }
}

/** The store answers: reads its global position and times it. */
// #region health-checks
export function storeCheck(store: EventStore): HealthCheck {
  return async () => {
    const started = performance.now();
    const position = await store.getGlobalPosition();
    return { status: 'healthy', global_position: position.toString(), response_time_ms: Math.round(performance.now() - started) };
  };
}
// #endregion

/**
 * The subscriptions run: each is catching up, live, or standing by while another instance holds
 * its lease; a consumer group is running (with the partitions this instance handles now, maybe
 * none). Stopped or failed ones make the service unhealthy.
 */
export function subscriptionsCheck(subscriptions: readonly (DurableSubscription | ConsumerGroup)[]): HealthCheck {
  return async () => {
    const states: Record<string, { state: string; active: boolean; position?: string; partitions?: number[] }> = {};
    let healthy = true;
    for (const s of subscriptions) {
      if ('partitionCount' in s) {
        states[s.id] = { state: s.state, active: s.isActive, partitions: [...s.partitions] };
        if (s.state !== 'running') healthy = false;
        continue;
      }
      states[s.id] = { state: s.state, active: s.isActive, position: s.position.toString() };
      if (s.state !== 'live' && s.state !== 'catching-up' && s.state !== 'standby') healthy = false;
    }
    return { status: healthy ? 'healthy' : 'unhealthy', subscriptions: states };
  };
}
