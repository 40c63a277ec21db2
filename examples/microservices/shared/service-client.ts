import { CORRELATION_HEADER } from './correlation.js';

export interface CallOptions {
  correlationId?: string;
  /** Sent as `Idempotency-Key`, so the callee can recognise a repeated call. */
  idempotencyKey?: string;
  /** Aborts the call (e.g. a saga step's signal). */
  signal?: AbortSignal;
}

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
   * yes when it was unreachable, overloaded (429) or failing (5xx). A saga step that throws an error
   * with `retryable: false` is not retried.
   */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

/** JSON over HTTP to another service, with the caller's correlation id and a timeout. */
export class ServiceClient {
  constructor(
    readonly service: string,
    readonly baseUrl: string,
    readonly timeoutMs = 5000,
  ) {}

  /** POSTs `body`; resolves with the parsed answer on 2xx, throws ServiceCallError otherwise. */
  async post(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.correlationId) headers[CORRELATION_HEADER] = options.correlationId;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (error) {
      throw new ServiceCallError(this.service, `${this.service} unreachable: ${describe(error)}`, undefined, undefined, { cause: error });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok) return parsed;
    const reason = typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : text.slice(0, 200);
    throw new ServiceCallError(this.service, `${this.service} answered ${response.status}: ${reason}`, response.status, parsed);
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
  const cause = error.cause as { code?: string } | undefined;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}
