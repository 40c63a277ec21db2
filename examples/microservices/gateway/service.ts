import { Counter } from 'prom-client';
import { serviceUrlsFromEnv, storeUrlFromEnv } from '../shared/config.js';
import { createHttpApp } from '../shared/http-app.js';
import { ServiceMetrics } from '../shared/metrics.js';
import type { HttpService, ServiceOptions } from '../shared/service-kit.js';
import { installGatewayHealth } from './health.js';
import { mountInspector } from './inspector.js';
import { Upstream } from './proxy.js';
import { GATEWAY_ROUTES, routeFor, type GatewayRoute } from './routes-table.js';

export interface GatewayOptions {
  logger?: ServiceOptions['logger'];
  /** Base URLs of the services, several for a service that runs several instances (default: from the environment). */
  serviceUrls?: Partial<Record<GatewayRoute['service'], string | readonly string[]>>;
  /** How long to wait for a service's answer (default 15 s). */
  timeoutMs?: number;
  /**
   * Serve the eventuali inspector, read-only, at `/inspector` over this store URL (default: in
   * development, `NODE_ENV !== 'production'`, over the services' store; `false` turns it off).
   */
  inspector?: false | { storeUrl: string; token?: string };
}

/**
 * The API gateway: routes `/api/users/…`, `/api/orders/…`, `/api/inventory/…` and
 * `/api/notifications…` to the services with `/api` stripped, passing the correlation id on;
 * answers 503/504/502 when a service is down, slow or broken; `GET /health` checks them all.
 */
export async function createGateway(options: GatewayOptions = {}): Promise<HttpService> {
  const metrics = new ServiceMetrics('api-gateway');
  const failures = new Counter({
    name: 'gateway_upstream_failures_total',
    help: 'Requests the gateway could not pass to a service, by service and reason.',
    labelNames: ['service', 'reason'],
    registers: [metrics.registry],
  });
  const app = createHttpApp({ service: 'api-gateway', metrics, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const upstreams = Object.fromEntries(
    GATEWAY_ROUTES.map((r) => [r.service, new Upstream(r.service, options.serviceUrls?.[r.service] ?? serviceUrlsFromEnv(r.service), timeoutMs)]),
  ) as Record<GatewayRoute['service'], Upstream>;
  // Health names a second instance `<service>-2`.
  const upstreamUrls = Object.fromEntries(
    Object.entries(upstreams).flatMap(([name, upstream]) => upstream.urls.map((url, i) => [i === 0 ? name : `${name}-${i + 1}`, url] as const)),
  );
  let shuttingDown = false;

  // Bodies are passed on as they came: no parsing here (the services validate them).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const inspector = options.inspector ?? (process.env['NODE_ENV'] === 'production' ? false : { storeUrl: storeUrlFromEnv() });
  const closeInspector = inspector
    ? await mountInspector(app, inspector.storeUrl, inspector.token ?? (process.env['INSPECTOR_TOKEN'] || undefined))
    : async () => undefined;

  installGatewayHealth(app, upstreamUrls, () => shuttingDown);
  app.all('/api/*', async (request, reply) => {
    const match = routeFor(request.url);
    if (!match) {
      return reply.status(404).send({ error: 'not_found', message: `No service serves ${request.url.split('?')[0] ?? ''}`, correlation_id: request.id });
    }
    const { service } = match.route;
    const outcome = await upstreams[service].forward(request, reply, match.forwardUrl);
    if (outcome.failure) failures.inc({ service, reason: outcome.failure });
    return reply;
  });
  await app.ready();
  return {
    app,
    close: async () => {
      shuttingDown = true;
      await app.close();
      await closeInspector();
      for (const upstream of Object.values(upstreams)) upstream.close();
    },
  };
}
