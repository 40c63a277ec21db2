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

/**
 * One service behind the gateway, reached over keep-alive connections: one instance, or several
 * (EVENTUALI_INSTANCES=2) that take requests in turn (round robin).
 */
export class Upstream {
  readonly #pools: readonly HttpPool[];
  #next = 0;

  constructor(
    readonly service: string,
    baseUrls: string | readonly string[],
    readonly timeoutMs: number,
  ) {
    this.#pools = (typeof baseUrls === 'string' ? [baseUrls] : baseUrls).map((url) => new HttpPool(url));
    if (this.#pools.length === 0) throw new Error(`no URL for the ${service} service`);
  }

  /** The first instance's base URL. */
  get url(): string {
    return this.#pools[0]!.url;
  }

  /** Every instance's base URL. */
  get urls(): string[] {
    return this.#pools.map((pool) => pool.url);
  }

  /**
   * Forwards the request to `path` on the service's next instance and relays the answer. An
   * instance that refuses the connection never saw the request: the next one gets it. When every
   * instance refuses, the answer is 503; one that times out 504, any other failure 502.
   */
  async forward(request: FastifyRequest, reply: FastifyReply, path: string): Promise<ProxyOutcome> {
    const headers: OutgoingHttpHeaders = { [CORRELATION_HEADER]: request.id, 'x-forwarded-for': request.ip, 'x-forwarded-host': request.hostname };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const body = request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(request.body) ? request.body : undefined;
    if (body) headers['content-length'] = body.length;
    let answer: HttpAnswer | undefined;
    const first = this.#next++ % this.#pools.length;
    for (let tried = 0; answer === undefined; tried++) {
      const pool = this.#pools[(first + tried) % this.#pools.length]!;
      try {
        answer = await pool.request({ method: request.method, path, headers, ...(body ? { body } : {}), timeoutMs: this.timeoutMs });
      } catch (error) {
        const failure = classify(error);
        request.log.warn({ err: error, service: this.service, target: `${pool.url}${path}` }, `the ${this.service} service did not answer`);
        if (failure === 'unavailable' && tried + 1 < this.#pools.length) continue;
        const status = failure === 'unavailable' ? 503 : failure === 'timeout' ? 504 : 502;
        await reply.status(status).send({
          error: failure === 'unavailable' ? 'service_unavailable' : failure === 'timeout' ? 'gateway_timeout' : 'bad_gateway',
          message: `The ${this.service} service ${failure === 'timeout' ? 'did not answer in time' : 'is not reachable'}`,
          service: `${this.service}-service`,
          correlation_id: request.id,
        });
        return { status, failure };
      }
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
    for (const pool of this.#pools) pool.close();
  }
}

function classify(error: unknown): ProxyFailure {
  if (error instanceof HttpTimeoutError) return 'timeout';
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'unavailable';
  return 'bad_gateway';
}
