// #region preconditions
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseIfMatch, toEtag } from './eventuali-http.js';

/** A route that requires `If-Match` got none: the HTTP layer answers 428 Precondition Required. */
export class PreconditionRequiredError extends Error {
  readonly code = 'PRECONDITION_REQUIRED';

  constructor(readonly route: string) {
    super(`${route} requires an If-Match header with the ETag of the version you read (GET it first)`);
    this.name = 'PreconditionRequiredError';
  }
}

/**
 * The version a write must find, from the request's `If-Match` (`W/"3"` → 3): `undefined` when the
 * header is absent or `*` (no version pinned). Throws PreconditionRequiredError (428) when the
 * route requires the header and it is absent, InvalidArgumentError (400) when it is malformed.
 * Passed as `expectedVersion`, a stream that moved since is a ConcurrencyError: 412.
 */
export function expectedVersionOf(request: FastifyRequest, { required }: { required: boolean }): number | undefined {
  const header = request.headers['if-match'];
  if (required && header === undefined) throw new PreconditionRequiredError(`${request.method} ${request.routeOptions.url ?? request.url}`);
  return parseIfMatch(header);
}

/** Sets the `ETag` of a stream version on the answer, for the client's next `If-Match`. */
export function withEtag<T>(reply: FastifyReply, version: number, body: T): T {
  reply.header('etag', toEtag(version));
  return body;
}
// #endregion
