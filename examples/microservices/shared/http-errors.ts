import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isEventualiError, type EventualiError } from './eventuali.js';
import { toHttpError } from './eventuali-http.js';
import { DomainRuleError, NotFoundError } from './domain-error.js';
import { PreconditionRequiredError } from './preconditions.js';
import { RequestValidationError } from './validation.js';

/** The JSON body of every error answer. Never a stack trace. */
export interface ErrorBody {
  error: string;
  message: string;
  correlation_id: string;
  issues?: unknown[];
  details?: Record<string, unknown>;
}

interface Mapped {
  status: number;
  error: string;
  message: string;
  issues?: unknown[];
  details?: Record<string, unknown>;
}

/**
 * HTTP status and body for an error; `null` for an unexpected one (a 500). `ifMatch`: the request
 * sent `If-Match`, so a version conflict means its precondition failed (412), not a race (409).
 */
export function mapError(error: unknown, { ifMatch = false }: { ifMatch?: boolean } = {}): Mapped | null {
  if (error instanceof RequestValidationError) {
    return { status: 400, error: 'invalid_request', message: error.message, issues: error.issues };
  }
  if (error instanceof DomainRuleError) {
    return { status: 409, error: error.reason, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  if (error instanceof NotFoundError) return { status: 404, error: 'not_found', message: error.message };
  if (error instanceof PreconditionRequiredError) return { status: 428, error: 'precondition_required', message: error.message };
  if (isEventualiError(error)) return mapLibraryError(error, ifMatch);
  return mapFastifyError(error);
}

/**
 * The library's errors: status from `toHttpError` (eventuali/http), body in this service's shape.
 * Server faults other than "unavailable" (a stored event that does not decode, a missing driver…)
 * are unexpected here: `null`, logged with their stack and answered with a bare 500.
 */
function mapLibraryError(error: EventualiError, ifMatch: boolean): Mapped | null {
  const { status, body } = toHttpError(error, { ifMatch });
  const issues = Array.isArray(body['issues']) ? { issues: body['issues'] as unknown[] } : {};
  switch (status) {
    case 400:
      return error.code === 'EVENT_VALIDATION'
        ? { status, error: 'invalid_event_data', message: error.message, issues: issues.issues ?? [] }
        : { status, error: 'invalid_request', message: error.message, ...issues };
    case 404:
      // For a type mismatch the id names another kind of thing: for this resource, it does not exist.
      return {
        status,
        error: 'not_found',
        message: error.code === 'AGGREGATE_TYPE_MISMATCH' ? `${String(body['aggregateType'])} ${JSON.stringify(body['aggregateId'])} not found` : error.message,
      };
    case 412:
      return {
        status,
        error: 'precondition_failed',
        message: `${error.message}: it changed since you read it; GET it again and retry with its ETag`,
        details: { expected_version: body['expectedVersion'], actual_version: body['actualVersion'] },
      };
    case 409:
      return { status, error: 'conflict', message: `${error.message}; it changed while this request ran, try again` };
    case 503:
      return { status, error: 'service_unavailable', message: 'The service is shutting down or cannot reach its database' };
    default:
      return null;
  }
}

/** Fastify's own client errors: malformed JSON (400), body too large (413), unsupported media type (415)… */
function mapFastifyError(error: unknown): Mapped | null {
  if (typeof error !== 'object' || error === null) return null;
  const { statusCode, code, message } = error as Partial<FastifyError>;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return null;
  const name =
    statusCode === 413 ? 'payload_too_large' : statusCode === 415 ? 'unsupported_media_type' : code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'malformed_json' : 'bad_request';
  return { status: statusCode, error: name, message: typeof message === 'string' ? message : 'Bad request' };
}

/** Answers every thrown error with a JSON body; logs unexpected ones with their stack (in the log only). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = mapError(error, { ifMatch: request.headers['if-match'] !== undefined });
    if (mapped === null) {
      request.log.error({ err: error }, 'unexpected error');
      return reply.status(500).send(body(request, { error: 'internal_error', message: 'Internal server error' }));
    }
    if (mapped.status >= 500) request.log.warn({ err: error }, mapped.message);
    else request.log.info({ error: mapped.error }, mapped.message);
    const { status, ...rest } = mapped;
    return reply.status(status).send(body(request, rest));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(body(request, { error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` })),
  );
}

function body(request: FastifyRequest, fields: Omit<ErrorBody, 'correlation_id'>): ErrorBody {
  return { ...fields, correlation_id: request.id };
}
