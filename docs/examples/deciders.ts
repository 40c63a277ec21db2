// docs/deciders.md: running commands through a decider.
// #region handle
import { ConcurrencyError, EventStore } from '../../src/index.js';
import { Cart } from './cart.js';

export async function shop(store: EventStore, cartId: string) {
  // The cart has no events yet: it is version 0 in initialState(), and the first command creates it.
  const added = await store.handle(Cart, cartId, { type: 'AddProduct', sku: 'book', quantity: 2, priceCents: 1500 });
  added.version; // 1
  added.state.status; // 'Open'
  added.events.map((event) => event.eventType); // ['ProductAdded']

  // decide returned no event: nothing is written, the version stays 1.
  const unchanged = await store.handle(Cart, cartId, { type: 'RemoveProduct', sku: 'pen' });
  unchanged.events.length; // 0

  // `metadata` is merged into the metadata of every event the command records.
  await store.handle(Cart, cartId, { type: 'Confirm' }, { metadata: { correlationId: 'req-7', userId: 'ann' } });

  const loaded = await store.loadState(Cart, cartId); // { state, version }, or null for a cart with no events
  return { version: loaded?.version, status: loaded?.state.status }; // { version: 2, status: 'Confirmed' }
}
// #endregion

// #region expected-version
// (imports as in the snippet above: ConcurrencyError and EventStore from 'eventuali', Cart from './cart.js')

// An HTTP handler's core: the client sends the version it last saw (If-Match). Without
// expectedVersion, handle() would load the newer state and decide again; with it, a cart that
// moved is a ConcurrencyError, decide does not run and nothing is written.
export async function confirmIfUnchanged(store: EventStore, cartId: string, seenVersion: number) {
  try {
    const { version } = await store.handle(Cart, cartId, { type: 'Confirm' }, { expectedVersion: seenVersion });
    return { status: 200, version };
  } catch (error) {
    if (error instanceof ConcurrencyError) return { status: 412, version: error.actualVersion };
    throw error;
  }
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url, { snapshotEvery: 2 });
  try {
    const shopped = await shop(store, 'cart-1');
    await store.handle(Cart, 'cart-2', { type: 'AddProduct', sku: 'pen', quantity: 1, priceCents: 200 });
    await store.handle(Cart, 'cart-2', { type: 'AddProduct', sku: 'pen', quantity: 1, priceCents: 200 });
    const stale = await confirmIfUnchanged(store, 'cart-2', 1);
    const fresh = await confirmIfUnchanged(store, 'cart-2', 2);
    const refused = await store.handle(Cart, 'cart-2', { type: 'Confirm' }).catch((error: unknown) => (error as Error).name);
    const [confirmed] = await store.loadEvents('cart-1', { fromVersion: 2 });
    return { shopped, stale, fresh, refused, metadata: confirmed?.metadata, cart2: await store.loadState(Cart, 'cart-2') };
  } finally {
    await store.close();
  }
}
