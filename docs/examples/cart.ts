// docs/deciders.md: a shopping cart in the decider style, used by deciders.ts and cart.spec.ts.
// #region decider
import { z } from 'zod';
import { defineDecider, defineEvent } from '../../src/index.js';

export const ProductAdded = defineEvent(
  'ProductAdded',
  z.object({ sku: z.string().min(1), quantity: z.number().int().positive(), priceCents: z.number().int().nonnegative() }),
);
export const ProductRemoved = defineEvent('ProductRemoved', z.object({ sku: z.string().min(1) }));
export const CartConfirmed = defineEvent('CartConfirmed', z.object({ totalCents: z.number().int().nonnegative() }));

export interface CartState {
  status: 'Empty' | 'Open' | 'Confirmed';
  items: Record<string, { quantity: number; priceCents: number }>;
}

export type CartCommand =
  | { type: 'AddProduct'; sku: string; quantity: number; priceCents: number }
  | { type: 'RemoveProduct'; sku: string }
  | { type: 'Confirm' };

export class CartError extends Error {
  override name = 'CartError';
}

const totalCents = (state: CartState): number =>
  Object.values(state.items).reduce((sum, item) => sum + item.quantity * item.priceCents, 0);

export const Cart = defineDecider({
  streamType: 'ShoppingCart', // stored as the aggregate type of every cart's events
  events: [ProductAdded, ProductRemoved, CartConfirmed],
  initialState: (): CartState => ({ status: 'Empty', items: {} }),
  // `event` is the union of the three events, narrowed by its eventType. Spell out the return
  // type: TypeScript would widen a literal such as 'Open' to string without it.
  evolve: (state, event): CartState => {
    switch (event.eventType) {
      case 'ProductAdded': {
        const quantity = (state.items[event.data.sku]?.quantity ?? 0) + event.data.quantity;
        return { status: 'Open', items: { ...state.items, [event.data.sku]: { quantity, priceCents: event.data.priceCents } } };
      }
      case 'ProductRemoved': {
        const { [event.data.sku]: _removed, ...items } = state.items;
        return { ...state, items };
      }
      case 'CartConfirmed':
        return { ...state, status: 'Confirmed' };
    }
  },
  // Returns one event, an array of them, or none ([] or undefined); throws to refuse the command.
  decide: (command: CartCommand, state) => {
    if (state.status === 'Confirmed') throw new CartError('The cart is confirmed');
    switch (command.type) {
      case 'AddProduct':
        return ProductAdded.create({ sku: command.sku, quantity: command.quantity, priceCents: command.priceCents });
      case 'RemoveProduct':
        return state.items[command.sku] ? ProductRemoved.create({ sku: command.sku }) : []; // nothing to remove
      case 'Confirm':
        if (state.status === 'Empty' || Object.keys(state.items).length === 0) throw new CartError('The cart is empty');
        return CartConfirmed.create({ totalCents: totalCents(state) });
    }
  },
});
// #endregion
