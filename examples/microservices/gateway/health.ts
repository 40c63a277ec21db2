import type { FastifyInstance } from 'fastify';

/** Each service's base URL by name (`order`, and `order-2` for a second instance). */
type Upstreams = Readonly<Record<string, string>>;

interface UpstreamHealth {
  status: 'up' | 'down';
  url: string;
  http_status?: number;
  error?: string;
}

async function probe(url: string, timeoutMs: number): Promise<UpstreamHealth> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { status: response.ok ? 'up' : 'down', url, http_status: response.status };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 'down', url, error: code ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * `GET /health`: the gateway and every service's readiness (200 when all are ready, else 503
 * naming the ones that are not); `/health/ready` and `/health/live`: the gateway itself.
 */
export function installGatewayHealth(app: FastifyInstance, upstreams: Upstreams, isShuttingDown: () => boolean, timeoutMs = 2000): void {
  app.get('/health', async (_request, reply) => {
    const entries = await Promise.all(Object.entries(upstreams).map(async ([name, url]) => [name, await probe(url, timeoutMs)] as const));
    const services = Object.fromEntries(entries);
    const healthy = !isShuttingDown() && entries.every(([, h]) => h.status === 'up');
    return reply.status(healthy ? 200 : 503).send({
      status: healthy ? 'healthy' : 'degraded',
      service: 'api-gateway',
      timestamp: new Date().toISOString(),
      services,
    });
  });
  app.get('/health/ready', async (_request, reply) =>
    isShuttingDown() ? reply.status(503).send({ status: 'not ready', shutting_down: true }) : { status: 'ready' },
  );
  app.get('/health/live', async () => ({ status: 'alive' }));
}
