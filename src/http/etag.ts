import { describeValue, InvalidArgumentError } from '../core/errors.js';

/** A header as Node (`string | undefined`), Fetch (`string | null`) or a header list (`string[]`) gives it. */
export type HeaderValue = string | readonly string[] | null | undefined;

const ENTITY_TAG = /^(?:W\/)?"(0|[1-9][0-9]{0,15})"$/;

/**
 * The `ETag` header value of an aggregate (or decider stream) at `version`: a weak entity tag,
 * because it names the version of the stream, not the bytes of one representation.
 *
 * @example
 * const user = await store.load(User, id);
 * response.setHeader('ETag', toEtag(user.version)); // W/"3"
 */
export function toEtag(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgumentError('version', `an ETag names a stream version (a whole number ≥ 0), got ${describeValue(version)}`);
  }
  return `W/"${version}"`;
}

/**
 * The stream version an `If-Match` request header names, to pass on as `expectedVersion`.
 *
 * - `W/"3"` and `"3"` give `3` (weak and strong tags compare the same: If-Match names a version).
 * - An absent or empty header gives `undefined`: the request sets no precondition.
 * - `*` gives `undefined` too: it matches any current version, so it pins none.
 * - Anything else (a tag that is not a version, several tags, unbalanced quotes) throws
 *   `InvalidArgumentError` (argument `'If-Match'`), which `toHttpError` answers with 400.
 *
 * @example
 * const expectedVersion = parseIfMatch(request.headers['if-match']);
 * await store.update(Order, id, (order) => order.ship(), { expectedVersion });
 */
export function parseIfMatch(header: HeaderValue): number | undefined {
  if (header === undefined || header === null) return undefined;
  const text = (typeof header === 'string' ? header : header.join(',')).trim();
  if (text === '' || text === '*') return undefined;
  const tags = text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (tags.length !== 1) {
    throw new InvalidArgumentError('If-Match', `names ${tags.length} entity tags (${describeValue(text)}); send the one version the change is based on`);
  }
  const match = ENTITY_TAG.exec(tags[0] as string);
  const version = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new InvalidArgumentError('If-Match', `${describeValue(text)} is not an entity tag this server gave out, like W/"3"`);
  }
  return version;
}
