// docs/deciders.md: running commands through a decider.
import { confirmCart } from './if-match.js';
// #region handle
import { EventStore } from '../../src/index.js';
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


export async function main(url = 'memory:') {
  const store = await EventStore.create(url, { snapshotEvery: 2 });
  try {
    const shopped = await shop(store, 'cart-1');
    await store.handle(Cart, 'cart-2', { type: 'AddProduct', sku: 'pen', quantity: 1, priceCents: 200 });
    await store.handle(Cart, 'cart-2', { type: 'AddProduct', sku: 'pen', quantity: 1, priceCents: 200 });
    const stale = await confirmCart(store, 'cart-2', 'W/"1"');
    const malformed = await confirmCart(store, 'cart-2', 'two');
    const fresh = await confirmCart(store, 'cart-2', 'W/"2"');
    const refused = await store.handle(Cart, 'cart-2', { type: 'Confirm' }).catch((error: unknown) => (error as Error).name);
    const [confirmed] = await store.loadEvents('cart-1', { fromVersion: 2 });
    return { shopped, stale: stale.status, malformed: malformed.status, fresh, refused, metadata: confirmed?.metadata, cart2: await store.loadState(Cart, 'cart-2') };
  } finally {
    await store.close();
  }
}
