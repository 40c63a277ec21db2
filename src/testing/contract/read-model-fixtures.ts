import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineEvent } from '../../core/event.js';
import { defineReadModel } from '../../projections/define-read-model.js';

export const CartOpened = defineEvent('ContractCartOpened', z.object({ owner: z.string(), openedAt: z.date(), vip: z.boolean() }));
/** `price` may be negative: the document's schema, not the event's, refuses what that makes. */
export const ItemAdded = defineEvent('ContractItemAdded', z.object({ sku: z.string(), price: z.number() }));
export const CartDiscarded = defineEvent('ContractCartDiscarded', z.object({}));
/** Read by no read model here. */
export const CartViewed = defineEvent('ContractCartViewed', z.object({}));

export const CartDoc = z.object({
  owner: z.string(),
  status: z.enum(['open', 'paid']),
  items: z.number().int(),
  total: z.number().nonnegative(),
  vip: z.boolean(),
  openedAt: z.date(),
  lastSku: z.string().nullable(),
});
export type CartDoc = z.output<typeof CartDoc>;

/** A unique read-model name, so tests sharing a database never share a table. */
export const modelName = (prefix = 'carts'): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

/** Carts by cart id: opened, items added (a negative total is refused by the schema), discarded (deleted). */
export function cartModel(name = modelName()) {
  return defineReadModel({
    name,
    schema: CartDoc,
    events: [CartOpened, ItemAdded, CartDiscarded],
    indexes: ['owner', 'total'],
    evolve: (doc, event): CartDoc | null => {
      if (CartOpened.is(event)) {
        const { owner, openedAt, vip } = event.data;
        return { owner, status: 'open', items: 0, total: 0, vip, openedAt, lastSku: null };
      }
      if (CartDiscarded.is(event)) return null;
      if (!doc || !ItemAdded.is(event)) return doc;
      return { ...doc, items: doc.items + 1, total: doc.total + event.data.price, lastSku: event.data.sku };
    },
  });
}

/** Totals per owner, over every cart: `documentId` keys documents by something else than the stream. */
export function ownerTotals(carts: Map<string, string>, name = modelName('owners')) {
  return defineReadModel({
    name,
    schema: z.object({ owner: z.string(), carts: z.number().int(), total: z.number() }),
    events: [CartOpened, ItemAdded],
    documentId: (event) => (CartOpened.is(event) ? event.data.owner : (carts.get(event.aggregateId) ?? 'unknown')),
    evolve: (doc, event) => {
      if (CartOpened.is(event)) return { owner: event.data.owner, carts: (doc?.carts ?? 0) + 1, total: doc?.total ?? 0 };
      return doc && ItemAdded.is(event) ? { ...doc, total: doc.total + event.data.price } : doc;
    },
  });
}

export const cartId = (): string => `cart-${randomUUID()}`;
