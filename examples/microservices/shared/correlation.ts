// #region imports
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EventMetadata } from './eventuali.js';

export const CORRELATION_HEADER = 'x-correlation-id';

const VALID = /^[A-Za-z0-9._:@-]{1,128}$/;
// #endregion

/** The caller's `x-correlation-id` when it is a sane token, else a new UUID. Fastify uses it as the request id. */
// #region correlation
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && VALID.test(value) ? value : randomUUID();
}
// #endregion

/** Event metadata carrying a request's correlation id. */
export function requestMetadata(correlationId: string): EventMetadata {
  return { correlationId };
}
