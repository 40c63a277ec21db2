// docs/aggregates.md: an aggregate that lists its events, so its handlers are checked at compile time.
// #region listed-events
import { z } from 'zod';
import { Aggregate, EventStore, defineEvent, type EventOf } from '../../src/index.js';

export const ItemAdded = defineEvent('ItemAdded', z.object({ sku: z.string(), quantity: z.number().int().positive() }));
export const ItemRemoved = defineEvent('ItemRemoved', z.object({ sku: z.string() }));

export class ShoppingCart extends Aggregate {
  static override readonly aggregateType = 'ShoppingCart';
  // Opt-in: every apply<Name> method must name one of these events and take its envelope,
  // and each of them needs its method. store.load/update and scenario() check it.
  static override readonly events = [ItemAdded, ItemRemoved] as const;

  items = new Map<string, number>();

  add(sku: string, quantity: number): void {
    this.apply(ItemAdded.create({ sku, quantity }));
  }

  remove(sku: string): void {
    if (this.items.has(sku)) this.apply(ItemRemoved.create({ sku }));
  }

  applyItemAdded(event: EventOf<typeof ItemAdded>): void {
    this.items.set(event.data.sku, (this.items.get(event.data.sku) ?? 0) + event.data.quantity);
  }

  applyItemRemoved(event: EventOf<typeof ItemRemoved>): void {
    this.items.delete(event.data.sku);
  }
}

export async function addToCart(store: EventStore, cartId: string, sku: string) {
  // Had ShoppingCart a method applyItemAded (a typo), or applyItemAdded(event: EventOf<typeof ItemRemoved>),
  // this call would not compile: Property '"applyItemAded handles no event of the class's static events"' is missing…
  return store.update(ShoppingCart, cartId, (cart) => cart.add(sku, 1));
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    const cart = new ShoppingCart('cart-1');
    cart.add('book', 2);
    await store.save(cart);
    await addToCart(store, 'cart-1', 'pen');
    const loaded = await store.load(ShoppingCart, 'cart-1');
    return { items: Object.fromEntries(loaded?.items ?? []), version: loaded?.version };
  } finally {
    await store.close();
  }
}
