import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORRELATION_HEADER } from '../shared/correlation.js';

/** Request headers passed on to services; hop-by-hop ones (connection, host…) are not. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'authorization', 'idempotency-key', 'user-agent'];
/** Response headers passed back to the client. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'cache-control'];

/** Why a call to a service did not get an answer. */
export type ProxyFailure = 'unavailable' | 'timeout' | 'bad_gateway';

export interface ProxyOutcome {
  status: number;
  failure?: ProxyFailure;
}

/**
 * Forwards the request to `targetUrl` with Node's fetch and relays the answer. A service that
 * refuses connections answers 503, one that times out 504, any other failure 502.
 */
export async function forward(request: FastifyRequest, reply: FastifyReply, targetUrl: string, service: string, timeoutMs: number): Promise<ProxyOutcome> {
  const headers: Record<string, string> = { [CORRELATION_HEADER]: request.id, 'x-forwarded-for': request.ip, 'x-forwarded-host': request.hostname };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(request.body);
  let response: Response;
  try {
    response = await fetch(targetUrl, {
      method: request.method,
      headers,
      ...(hasBody ? { body: request.body as Buffer } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const failure = classify(error);
    const status = failure === 'unavailable' ? 503 : failure === 'timeout' ? 504 : 502;
    request.log.warn({ err: error, service, target: targetUrl }, `the ${service} service did not answer`);
    await reply.status(status).send({
      error: failure === 'unavailable' ? 'service_unavailable' : failure === 'timeout' ? 'gateway_timeout' : 'bad_gateway',
      message: `The ${service} service ${failure === 'timeout' ? 'did not answer in time' : 'is not reachable'}`,
      service: `${service}-service`,
      correlation_id: request.id,
    });
    return { status, failure };
  }
  const body = Buffer.from(await response.arrayBuffer());
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  await reply.status(response.status).send(body);
  return { status: response.status };
}

function classify(error: unknown): ProxyFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return 'unavailable';
  }
  return 'bad_gateway';
}
