import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { telemetry } from './telemetry.js';
import { parseInput } from './validation.js';

const TraceParams = z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a trace id: 32 lowercase hex digits') });

/**
 * `GET /internal/traces/:traceId`: the spans of one trace this process finished lately, as
 * `{ service, spans }` (see SpanView). Only there when `RECENT_SPANS` keeps spans in memory (the
 * demo sets it); like the other internal routes, not reachable through the gateway.
 */
export function installTraceRoute(app: FastifyInstance): void {
  const kept = telemetry();
  const recentSpans = kept?.recentSpans;
  if (!kept || !recentSpans) return;
  app.get('/internal/traces/:traceId', async (request) => {
    const { traceId } = parseInput(TraceParams, request.params, 'params');
    return { service: kept.serviceName, spans: recentSpans.trace(traceId) };
  });
}
