import http from 'node:http';
import https from 'node:https';
import { tracedCall } from './http-tracing.js';

/** Idle keep-alive connections close after this, well before the services' own keep-alive timeout (72 s). */
const IDLE_SOCKET_MS = 30_000;

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: string;
  /** Path and query, appended to the base URL's path. */
  path: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer | string;
  /** No answer within this time: the request is abandoned with an HttpTimeoutError. */
  timeoutMs: number;
  signal?: AbortSignal;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** The service gave no answer in time. */
export class HttpTimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Requests to one service over a pool of keep-alive connections, with Node's http client: the
 * calls between services (gateway → service, order → inventory) are a hot path, where `fetch`
 * costs about twice the CPU per call.
 */
export class HttpPool {
  readonly #base: URL;
  /** The base URL's path (a service mounted under a prefix), prepended to every request's path. */
  readonly #prefix: string;
  readonly #client: typeof http | typeof https;
  readonly #agent: http.Agent;

  constructor(baseUrl: string) {
    this.#base = new URL(baseUrl);
    this.#prefix = this.#base.pathname.replace(/\/+$/, '');
    const secure = this.#base.protocol === 'https:';
    this.#client = secure ? https : http;
    this.#agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  }

  get url(): string {
    return `${this.#base.origin}${this.#prefix}`;
  }

  /**
   * Resolves with the answer, whatever its status; rejects when there is none (refused, reset,
   * timeout, aborted). A request that finds its kept-alive connection closed by the service (it
   * restarted, or closed the idle connection just then) is sent once more on a new connection when
   * repeating it is harmless: an idempotent method, or an `Idempotency-Key`. The call is a CLIENT
   * span carrying the trace on to the service (`traceparent`).
   */
  request(request: HttpRequest): Promise<HttpAnswer> {
    return tracedCall(this.#base, request.method, `${this.#prefix}${request.path}`, request.headers, (headers) => this.#request({ ...request, headers }));
  }

  async #request(request: HttpRequest): Promise<HttpAnswer> {
    const first = await this.#send(request);
    if (first.answer) return first.answer;
    const repeatable = IDEMPOTENT_METHODS.has(request.method) || request.headers['idempotency-key'] !== undefined;
    if (!first.staleSocket || !repeatable) throw first.error;
    const second = await this.#send(request);
    if (second.answer) return second.answer;
    throw second.error;
  }

  #send(request: HttpRequest): Promise<{ answer: HttpAnswer; error?: undefined; staleSocket?: undefined } | { answer?: undefined; error: Error; staleSocket: boolean }> {
    const { method, path, headers, body, timeoutMs, signal } = request;
    const { protocol, hostname, port } = this.#base;
    return new Promise((resolve) => {
      let answered = false;
      const outgoing = this.#client.request(
        { protocol, hostname, port, method, path: `${this.#prefix}${path}`, headers, agent: this.#agent, ...(signal ? { signal } : {}) },
        (incoming) => {
          answered = true;
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', fail);
          incoming.on('end', () => {
            clearTimeout(timer);
            resolve({ answer: { status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) } });
          });
        },
      );
      const timer = setTimeout(() => outgoing.destroy(new HttpTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      function fail(error: Error): void {
        clearTimeout(timer);
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ error, staleSocket: !answered && outgoing.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE') });
      }
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  }

  /** Closes the pooled connections (idle ones never keep the process alive). */
  close(): void {
    this.#agent.destroy();
  }
}
