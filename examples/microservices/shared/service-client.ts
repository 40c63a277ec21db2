import { CORRELATION_HEADER } from './correlation.js';
import { HttpPool, type HttpAnswer } from './http-pool.js';

export interface CallOptions {
  correlationId?: string;
  /** Sent as `Idempotency-Key`, so the callee can recognise a repeated call. */
  idempotencyKey?: string;
  /** Aborts the call (e.g. a saga step's signal). */
  signal?: AbortSignal;
}

// #region retryable
/** Another service answered with an error status, or could not be reached (`status` undefined). */
export class ServiceCallError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly status?: number,
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceCallError';
  }

  /**
   * Whether calling again may succeed: not after a 4xx (the callee refused the request itself),
   * yes when it was unreachable, overloaded (429), failing (5xx), or lost a concurrency race (409
   * `conflict`: the data changed while it ran). A saga step that throws an error with
   * `retryable: false` is not retried.
   */
  get retryable(): boolean {
    if (this.status === undefined || this.status === 429 || this.status >= 500) return true;
    return this.status === 409 && typeof this.body === 'object' && this.body !== null && (this.body as { error?: unknown }).error === 'conflict';
  }
}
// #endregion

/** JSON over HTTP to another service (keep-alive connections), with the caller's correlation id and a timeout. */
export class ServiceClient {
  readonly #pool: HttpPool;

  constructor(
    readonly service: string,
    readonly baseUrl: string,
    readonly timeoutMs = 5000,
  ) {
    this.#pool = new HttpPool(baseUrl);
  }

  /** POSTs `body`; resolves with the parsed answer on 2xx, throws ServiceCallError otherwise. */
  async post(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    const json = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
      accept: 'application/json',
    };
    if (options.correlationId) headers[CORRELATION_HEADER] = options.correlationId;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let answer: HttpAnswer;
    try {
      answer = await this.#pool.request({ method: 'POST', path, headers, body: json, timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      throw new ServiceCallError(this.service, `${this.service} unreachable: ${describe(error)}`, undefined, undefined, { cause: error });
    }
    const text = answer.body.toString('utf8');
    const parsed = parseJson(text);
    if (answer.status >= 200 && answer.status < 300) return parsed;
    const reason = typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : text.slice(0, 200);
    throw new ServiceCallError(this.service, `${this.service} answered ${answer.status}: ${reason}`, answer.status, parsed);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
