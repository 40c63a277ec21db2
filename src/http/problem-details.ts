import { isEventualiError, type ErrorCode } from '../core/errors.js';

/** The media type of every body `toHttpError` makes (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where the `type` URI of an eventuali problem points: the table of codes in docs/http.md. */
export const DEFAULT_PROBLEM_TYPE_BASE = 'https://github.com/eventuali/eventuali-ts/blob/main/docs/http.md#';

/**
 * An RFC 9457 problem details object. eventuali adds `code` (the error's stable code) and, for
 * client errors, the context a client can act on (`aggregateId`, `expectedVersion`, `issues`…).
 */
export interface ProblemDetails {
  /** A URI naming the kind of problem; `about:blank` for an error that is not eventuali's. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: ErrorCode;
  [extension: string]: unknown;
}

/** What to answer: status, headers (always the problem content type) and the JSON body. */
export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
}

/** A zod issue as a client sees it: where, what, and zod's issue code; never the rejected input. */
export interface ProblemIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** Options of `toHttpError`. */
export interface ToHttpErrorOptions {
  /**
   * The request's expected version came from an `If-Match` header. A `CONCURRENCY_CONFLICT` is
   * then a failed precondition, `412 Precondition Failed`; otherwise it is `409 Conflict` (the
   * stream moved while the request ran, after `update()` used up its retries).
   */
  ifMatch?: boolean;
  /** Prefix of the `type` URI, followed by the code in lower case (default: the table in docs/http.md). */
  typeBase?: string;
  /** The body's `instance`: typically the request path. */
  instance?: string;
}

interface CodeRule {
  status: number;
  title: string;
  /** The client-facing context taken from the error (4xx only; 5xx bodies carry none). */
  context?: (error: Record<string, unknown>) => Record<string, unknown>;
  /** Detail for a 4xx answer whose message says more than the client may know (default: the message). */
  clientDetail?: (error: Record<string, unknown>) => string;
  /** Detail for 5xx answers, which never repeat the error's message (it may name internals). */
  serverDetail?: string;
}

const UNAVAILABLE = 'The service cannot reach its event store right now; try again later.';
const SERVER_FAULT = 'The server met an error it cannot recover from; it has been logged.';

// A Record over ErrorCode: a new code fails the type check until it has a rule here.
const RULES: Record<ErrorCode, CodeRule> = {
  CONCURRENCY_CONFLICT: {
    status: 409,
    title: 'Version conflict',
    context: (e) => pick(e, ['aggregateId', 'expectedVersion', 'actualVersion']),
  },
  DUPLICATE_EVENT: { status: 409, title: 'Duplicate event', context: (e) => pick(e, ['eventId']) },
  EVENT_VALIDATION: {
    status: 400,
    title: 'Invalid event data',
    context: (e) => ({ ...pick(e, ['eventType']), issues: toProblemIssues(e['issues']) }),
  },
  AGGREGATE_NOT_FOUND: { status: 404, title: 'Not found', context: (e) => pick(e, ['aggregateType', 'aggregateId']) },
  // The id names a stream of another type: for the resource asked for, it does not exist. The
  // other type is not named, so a client cannot probe what an id holds.
  AGGREGATE_TYPE_MISMATCH: {
    status: 404,
    title: 'Not found',
    context: (e) => ({ ...pick(e, ['aggregateId']), ...renamed(e, 'expectedType', 'aggregateType') }),
    clientDetail: (e) => `${String(e['expectedType'])} ${JSON.stringify(e['aggregateId'])} does not exist`,
  },
  INVALID_ARGUMENT: { status: 400, title: 'Invalid argument', context: (e) => pick(e, ['argument']) },
  // An import (a request that uploads an export file): the file does not fit the store, or a line is not an event.
  IMPORT_CONFLICT: { status: 409, title: 'Import conflict', context: (e) => pick(e, ['globalPosition', 'eventId', 'reason']) },
  IMPORT_FORMAT: { status: 400, title: 'Invalid import line', context: (e) => pick(e, ['line', 'reason']) },
  SAGA_UNKNOWN: { status: 404, title: 'Unknown saga', context: (e) => pick(details(e), ['sagaId', 'sagaName']) },
  SAGA_INPUT: {
    status: 400,
    title: 'Invalid saga input',
    context: (e) => {
      const d = details(e);
      return { ...pick(d, ['sagaId', 'sagaName']), ...(d['issues'] === undefined ? {} : { issues: toProblemIssues(d['issues']) }) };
    },
  },
  SAGA_TIMEOUT: { status: 504, title: 'Saga timed out', context: (e) => pick(details(e), ['sagaId', 'step']) },
  STORE_CLOSED: { status: 503, title: 'Service unavailable', serverDetail: UNAVAILABLE },
  CONNECTION: { status: 503, title: 'Service unavailable', serverDetail: UNAVAILABLE },
  SAGA_STOPPED: { status: 503, title: 'Service unavailable', serverDetail: 'The service is shutting down; try again later.' },
  // A read model's projection had not caught up with the client's own write in time.
  READ_MODEL_TIMEOUT: { status: 503, title: 'Service unavailable', serverDetail: 'The data is not up to date yet; try again shortly.' },
  UNKNOWN_EVENT_TYPE: { status: 500, title: 'Unknown stored event type', serverDetail: SERVER_FAULT },
  EVENT_DESERIALIZATION: { status: 500, title: 'Stored event does not decode', serverDetail: SERVER_FAULT },
  MISSING_EVENT_HANDLER: { status: 500, title: 'Missing event handler', serverDetail: SERVER_FAULT },
  MISSING_DRIVER: { status: 500, title: 'Missing database driver', serverDetail: SERVER_FAULT },
  SUBSCRIPTION: { status: 500, title: 'Subscription error', serverDetail: SERVER_FAULT },
  GROUP_PARTITIONS_CHANGED: { status: 500, title: 'Consumer group partitions changed', serverDetail: SERVER_FAULT },
  STREAM_OVERFLOW: { status: 500, title: 'Stream overflow', serverDetail: SERVER_FAULT },
  SAGA_DEFINITION: { status: 500, title: 'Invalid saga definition', serverDetail: SERVER_FAULT },
  DOCUMENT_VALIDATION: { status: 500, title: 'Invalid read-model document', serverDetail: SERVER_FAULT },
};

/**
 * The HTTP answer for an error a request handler caught: an `application/problem+json` body
 * (RFC 9457) with the error's `code`. Every eventuali code has a status (see the table in
 * docs/http.md); client errors (4xx) carry their message as `detail` and their context
 * (`aggregateId`, `expectedVersion`, `actualVersion`, zod `issues`…); server errors (5xx) carry
 * neither. Any other error is a bare 500 that leaks no message and no stack: log it yourself.
 *
 * @example
 * try {
 *   await store.update(Order, id, (order) => order.ship(), { expectedVersion });
 * } catch (error) {
 *   const { status, headers, body } = toHttpError(error, { ifMatch: expectedVersion !== undefined });
 *   response.writeHead(status, headers).end(JSON.stringify(body));
 * }
 */
export function toHttpError(error: unknown, options: ToHttpErrorOptions = {}): HttpError {
  const headers = { 'content-type': PROBLEM_CONTENT_TYPE };
  const instance = options.instance === undefined ? {} : { instance: options.instance };
  if (!isEventualiError(error) || !Object.hasOwn(RULES, error.code)) {
    return { status: 500, headers, body: { type: 'about:blank', title: 'Internal Server Error', status: 500, ...instance } };
  }
  const rule = RULES[error.code];
  const status = error.code === 'CONCURRENCY_CONFLICT' && options.ifMatch === true ? 412 : rule.status;
  const title = status === 412 ? 'Precondition failed' : rule.title;
  const fields = error as unknown as Record<string, unknown>;
  const body: ProblemDetails = {
    type: `${options.typeBase ?? DEFAULT_PROBLEM_TYPE_BASE}${error.code.toLowerCase()}`,
    title,
    status,
    detail: status >= 500 ? (rule.serverDetail ?? SERVER_FAULT) : (rule.clientDetail?.(fields) ?? error.message),
    ...instance,
    code: error.code,
    ...(status < 500 && rule.context ? rule.context(fields) : {}),
  };
  return { status, headers, body };
}

/** zod issues without their `input` (which may echo secrets) and with printable paths. */
export function toProblemIssues(issues: unknown): ProblemIssue[] {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { path?: unknown; message?: unknown; code?: unknown }) => ({
    path: Array.isArray(issue?.path) ? issue.path.map((key: unknown) => (typeof key === 'number' ? key : String(key))) : [],
    message: typeof issue?.message === 'string' ? issue.message : 'invalid',
    code: typeof issue?.code === 'string' ? issue.code : 'custom',
  }));
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
    else if (typeof value === 'bigint') out[key] = value.toString();
  }
  return out;
}

function renamed(source: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const value = source[from];
  return typeof value === 'string' ? { [to]: value } : {};
}

/** SagaError keeps its context under `details`. */
function details(error: Record<string, unknown>): Record<string, unknown> {
  const value = error['details'];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
