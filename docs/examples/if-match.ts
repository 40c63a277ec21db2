// docs/deciders.md, "Expected versions": an If-Match update through a decider, with eventuali/http.
// #region expected-version
import type { EventStore } from '../../src/index.js';
import { parseIfMatch, toEtag, toHttpError } from '../../src/http.js';
import { Cart } from './cart.js';

// The core of `POST /carts/:id/confirm`. The client sends the version it last saw as If-Match.
// Without it, handle() would load the newer state and decide again; with it, a cart that moved
// is a ConcurrencyError: decide does not run, nothing is written, the client gets 412.
export async function confirmCart(store: EventStore, cartId: string, ifMatch: string | undefined) {
  try {
    const expectedVersion = parseIfMatch(ifMatch); // 'W/"2"' -> 2; no header -> undefined
    const { version } = await store.handle(Cart, cartId, { type: 'Confirm' }, { expectedVersion });
    return { status: 200, headers: { etag: toEtag(version) } };
  } catch (error) {
    const { status, headers, body } = toHttpError(error, { ifMatch: ifMatch !== undefined });
    return { status, headers, body }; // 412 for a stale If-Match, 400 for a malformed one
  }
}
// #endregion
