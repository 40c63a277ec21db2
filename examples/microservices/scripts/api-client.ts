/** An answer from the gateway; `body` is the JSON that came back, typed by the caller (not checked). */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  correlationId: string | null;
  /** The `ETag` of the answer (a stream version, `W/"3"`), or null. */
  etag: string | null;
  /** The trace the request started at the gateway (its `traceresponse` header), or null without tracing. */
  traceId: string | null;
}

/** The trace id in a W3C `traceresponse` header (`00-<trace id>-<span id>-<flags>`), or null. */
export function traceIdOf(traceresponse: string | null): string | null {
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceresponse ?? '')?.[1] ?? null;
}

/** The answer had another status than the step expected. */
export class UnexpectedAnswerError extends Error {
  constructor(request: string, expected: readonly number[], answer: ApiAnswer<unknown>) {
    super(`${request} answered ${answer.status}, expected ${expected.join(' or ')}: ${JSON.stringify(answer.body)}`);
    this.name = 'UnexpectedAnswerError';
  }
}

/** A small JSON client for the journey, talking to the gateway like any HTTP client would. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; correlationId?: string; ifMatch?: string; expect?: number | readonly number[] } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const answer: ApiAnswer<T> = {
      status: response.status,
      body: parsed as T,
      correlationId: response.headers.get('x-correlation-id'),
      etag: response.headers.get('etag'),
      traceId: traceIdOf(response.headers.get('traceresponse')),
    };
    const expected = options.expect === undefined ? [] : typeof options.expect === 'number' ? [options.expect] : options.expect;
    if (expected.length > 0 && !expected.includes(answer.status)) throw new UnexpectedAnswerError(`${method} ${path}`, expected, answer);
    return answer;
  }
}

/** Polls `probe` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(250, delay * 2)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
