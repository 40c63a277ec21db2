import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { CORRELATION_HEADER } from '../shared/correlation.js';
import { HttpPool, HttpTimeoutError, type HttpAnswer } from '../shared/http-pool.js';

/** Request headers passed on to services; hop-by-hop ones (connection, host…) are not. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'authorization', 'idempotency-key', 'if-match', 'user-agent'];
/** Response headers passed back to the client. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'cache-control', 'etag'];

/** Why a call to a service did not get an answer. */
export type ProxyFailure = 'unavailable' | 'timeout' | 'bad_gateway';

export interface ProxyOutcome {
  status: number;
  failure?: ProxyFailure;
}

/** One service behind the gateway, reached over keep-alive connections. */
export class Upstream {
  readonly #pool: HttpPool;

  constructor(
    readonly service: string,
    baseUrl: string,
    readonly timeoutMs: number,
  ) {
    this.#pool = new HttpPool(baseUrl);
  }

  get url(): string {
    return this.#pool.url;
  }

  /**
   * Forwards the request to `path` on the service and relays the answer. A service that refuses
   * connections answers 503, one that times out 504, any other failure 502.
   */
  async forward(request: FastifyRequest, reply: FastifyReply, path: string): Promise<ProxyOutcome> {
    const headers: OutgoingHttpHeaders = { [CORRELATION_HEADER]: request.id, 'x-forwarded-for': request.ip, 'x-forwarded-host': request.hostname };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const body = request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(request.body) ? request.body : undefined;
    if (body) headers['content-length'] = body.length;
    let answer: HttpAnswer;
    try {
      answer = await this.#pool.request({ method: request.method, path, headers, ...(body ? { body } : {}), timeoutMs: this.timeoutMs });
    } catch (error) {
      const failure = classify(error);
      const status = failure === 'unavailable' ? 503 : failure === 'timeout' ? 504 : 502;
      request.log.warn({ err: error, service: this.service, target: `${this.url}${path}` }, `the ${this.service} service did not answer`);
      await reply.status(status).send({
        error: failure === 'unavailable' ? 'service_unavailable' : failure === 'timeout' ? 'gateway_timeout' : 'bad_gateway',
        message: `The ${this.service} service ${failure === 'timeout' ? 'did not answer in time' : 'is not reachable'}`,
        service: `${this.service}-service`,
        correlation_id: request.id,
      });
      return { status, failure };
    }
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    await reply.status(answer.status).send(answer.body);
    return { status: answer.status };
  }

  /** Closes the pooled connections. */
  close(): void {
    this.#pool.close();
  }
}

function classify(error: unknown): ProxyFailure {
  if (error instanceof HttpTimeoutError) return 'timeout';
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'unavailable';
  return 'bad_gateway';
}
