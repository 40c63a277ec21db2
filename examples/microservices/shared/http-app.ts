import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { CORRELATION_HEADER, correlationIdOf } from './correlation.js';
import { installErrorHandling } from './http-errors.js';
import { installHttpTracing, traceFields } from './http-tracing.js';
import type { ServiceMetrics } from './metrics.js';
import { installTraceRoute } from './trace-route.js';

/** Requests larger than this get 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export type LoggerOption = FastifyServerOptions['logger'];

export interface HttpAppOptions {
  service: string;
  metrics: ServiceMetrics;
  /** Fastify's pino logger options; `false` for none (tests). Default: JSON lines at LOG_LEVEL (info). */
  logger?: LoggerOption;
}

/**
 * A Fastify app with what every service shares: pino logs labelled with the request's correlation
 * id (taken from `x-correlation-id` or generated, and returned in that header) and with the trace
 * id of the active span (`trace_id`), a SERVER span per request, a 64 KB body limit, JSON error
 * answers, and request metrics with `GET /metrics`.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? { level: process.env['LOG_LEVEL'] ?? 'info', base: { service: options.service, pid: process.pid }, mixin: traceFields },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
    forceCloseConnections: 'idle',
    // Room for the longest id the services accept (200), so a long one gets zod's 400, not a 414.
    routerOptions: { maxParamLength: 256 },
    // Malformed (400) or overlong (414) URLs are rejected before routing: answer them like any error.
    frameworkErrors: (error, request, genericReply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      // The option's type is generic over route schemas; these answers have none.
      const reply = genericReply as unknown as FastifyReply;
      void reply
        .status(status)
        .header(CORRELATION_HEADER, request.id)
        .send({ error: status === 414 ? 'uri_too_long' : 'bad_url', message: error.message, correlation_id: request.id });
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
  });
  installHttpTracing(app);
  installErrorHandling(app);
  options.metrics.install(app);
  installTraceRoute(app);
  return app;
}
