// docs/read-models.md: a shopping cart's documents, kept by a projection.
// #region imports
import { z } from 'zod';
import { defineEvent, defineReadModel, EventStore, isEventualiError, type ProjectionRunner } from '../../src/index.js';
// #endregion

// #region define

export const CartOpened = defineEvent('CartOpened', z.object({ clientId: z.string(), openedAt: z.date() }));
export const ProductAdded = defineEvent('ProductAdded', z.object({ sku: z.string(), priceCents: z.number().int() }));
export const CartConfirmed = defineEvent('CartConfirmed', z.object({}));
export const CartAbandoned = defineEvent('CartAbandoned', z.object({}));

export const Cart = z.object({
  clientId: z.string(),
  status: z.enum(['Open', 'Confirmed']),
  items: z.number().int(),
  totalCents: z.number().int().nonnegative(), // a document that fails is the projection's error
  openedAt: z.date(), // Dates (and bigints) come back as they went in
});
export type Cart = z.infer<typeof Cart>;

export const CartDetails = defineReadModel({
  name: 'cart_details', // its table (rm_cart_details), and its projection's checkpoint
  schema: Cart,
  events: [CartOpened, ProductAdded, CartConfirmed, CartAbandoned],
  // documentId: (event) => event.aggregateId, // the default; any key, for a model over many streams
  // The return type keeps 'Open' a literal (TypeScript widens literals returned to a generic type).
  evolve: (doc, event): Cart | null => {
    // `event` is the union of the four events; `doc` is null until the first one.
    switch (event.eventType) {
      case 'CartOpened':
        return { clientId: event.data.clientId, status: 'Open', items: 0, totalCents: 0, openedAt: event.data.openedAt };
      case 'ProductAdded':
        return doc && { ...doc, items: doc.items + 1, totalCents: doc.totalCents + event.data.priceCents };
      case 'CartConfirmed':
        return doc && { ...doc, status: 'Confirmed' };
      case 'CartAbandoned':
        return null; // deletes the document
    }
  },
  indexes: ['status', 'clientId'], // expression indexes on SQLite and PostgreSQL
});
// #endregion

// #region run
export async function startCartDetails(store: EventStore): Promise<ProjectionRunner> {
  const projection = store.projection(CartDetails); // a durable subscription named cart_details
  await projection.start();
  return projection;
}
// #endregion

// #region read-your-writes
export async function openCart(store: EventStore, cartId: string, clientId: string) {
  const written = await store.append('Cart', cartId, 'no-stream', [
    CartOpened.create({ clientId, openedAt: new Date('2026-01-02T10:00:00Z') }),
    ProductAdded.create({ sku: 'tea', priceCents: 450 }),
  ]);
  // Wait until the projection has handled the last event written, then read.
  return store.documents(CartDetails).get(cartId, { waitFor: written.at(-1)!.globalPosition, timeoutMs: 2000 });
  // { clientId, status: 'Open', items: 1, totalCents: 450, openedAt: Date } | null
}
// #endregion

// #region find
export async function confirmedCarts(store: EventStore, lastWritten: bigint) {
  const carts = store.documents(CartDetails);
  const confirmed = await carts.find({
    where: { status: 'Confirmed', totalCents: { gte: 100 } }, // equality, in, gt, gte, lt, lte
    orderBy: { totalCents: 'desc' }, // then by id
    limit: 10,
    offset: 0,
    waitFor: lastWritten, // find and count wait too
  });
  const perClient = await carts.count({ where: { clientId: { in: ['c-1', 'c-9'] } } });
  return { confirmed, perClient };
}
// #endregion

// #region rebuild
export async function rebuildCartDetails(projection: ProjectionRunner): Promise<void> {
  await projection.rebuild(); // empties cart_details and replays every cart event
  await projection.waitUntilCaughtUp();
}
// #endregion

// #region timeout
export async function cartOrTimeout(store: EventStore, cartId: string, position: bigint): Promise<Cart | null | 'timed out'> {
  try {
    return await store.documents(CartDetails).get(cartId, { waitFor: position, timeoutMs: 50 });
  } catch (error) {
    // The projection did not handle the position in time: stopped, failing, behind, or not running.
    if (isEventualiError(error, 'READ_MODEL_TIMEOUT')) return 'timed out';
    throw error;
  }
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  try {
    const projection = await startCartDetails(store);
    const cart = await openCart(store, 'cart-1', 'c-1');
    for (const [id, clientId, price] of [['cart-2', 'c-1', 1200], ['cart-3', 'c-2', 300], ['cart-4', 'c-1', 90]] as const) {
      await store.append('Cart', id, 'no-stream', [
        CartOpened.create({ clientId, openedAt: new Date('2026-01-03T10:00:00Z') }),
        ProductAdded.create({ sku: 'coffee', priceCents: price }),
        CartConfirmed.create({}),
      ]);
    }
    const last = await store.append('Cart', 'cart-4', 3, [CartAbandoned.create({})]);
    const { confirmed, perClient } = await confirmedCarts(store, last[0]!.globalPosition);
    await rebuildCartDetails(projection);
    await projection.stop();
    // The projection is stopped: nothing handles the position, and waitFor gives up.
    const behind = await store.append('Cart', 'cart-5', 'no-stream', [CartOpened.create({ clientId: 'c-3', openedAt: new Date() })]);
    const late = await cartOrTimeout(store, 'cart-5', behind[0]!.globalPosition);
    const carts = store.documents(CartDetails);
    return {
      cart,
      confirmed: confirmed.map((c) => c.totalCents),
      perClient,
      abandoned: await carts.get('cart-4'),
      afterRebuild: await carts.count(),
      late,
    };
  } finally {
    await store.close();
  }
}

// #region inline
/** The same documents, written in every append's transaction: never behind the events. */
export async function inlineCarts(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  try {
    const inline = store.projection(CartDetails, { inline: true });
    await store.append('Cart', 'cart-9', 'no-stream', [CartOpened.create({ clientId: 'c-9', openedAt: new Date() })]);
    const doc = await store.documents(CartDetails).get('cart-9'); // no waitFor needed
    await inline.rebuild(); // replays the log in pages: run it while nothing appends cart events
    return doc?.status;
  } finally {
    await store.close();
  }
}
// #endregion
