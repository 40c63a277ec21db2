// #region product
import { defineDecider, type EventMetadata } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import { ProductStocked, StockCommitted, StockReleased, StockReserved } from './events.js';

/** The stream of a product: ids chosen by clients get a prefix, so they never collide with other streams. */
export const productStreamId = (productId: string): string => `product:${productId}`;

/** One product's stock: available, reserved for orders, committed (shipped out), and who holds what. */
export interface ProductState {
  productId: string;
  name: string;
  available: number;
  reserved: number;
  committed: number;
  /** Open reservations, by order. */
  reservations: { orderId: string; quantity: number }[];
}

export type ProductCommand =
  | { type: 'Stock'; productId: string; name: string; quantity: number; metadata?: EventMetadata }
  | { type: 'Reserve'; orderId: string; quantity: number; metadata?: EventMetadata }
  | { type: 'Release'; orderId: string; metadata?: EventMetadata }
  | { type: 'Commit'; orderId: string; metadata?: EventMetadata };

const heldBy = (state: ProductState, orderId: string): number | undefined => state.reservations.find((r) => r.orderId === orderId)?.quantity;
const without = (state: ProductState, orderId: string) => state.reservations.filter((r) => r.orderId !== orderId);

/** A product's stock in the decider style: pure functions over a plain state, run by `store.handle()`. */
export const Product = defineDecider({
  streamType: 'Product',
  events: [ProductStocked, StockReserved, StockReleased, StockCommitted],
  initialState: (): ProductState => ({ productId: '', name: '', available: 0, reserved: 0, committed: 0, reservations: [] }),
  evolve: (state, event): ProductState => {
    switch (event.eventType) {
      case 'ProductStocked':
        return { ...state, productId: event.data.productId, name: event.data.name, available: state.available + event.data.quantity };
      case 'StockReserved':
        return {
          ...state,
          available: state.available - event.data.quantity,
          reserved: state.reserved + event.data.quantity,
          reservations: [...state.reservations, { orderId: event.data.orderId, quantity: event.data.quantity }],
        };
      case 'StockReleased':
        return { ...state, reserved: state.reserved - event.data.quantity, available: state.available + event.data.quantity, reservations: without(state, event.data.orderId) };
      case 'StockCommitted':
        return { ...state, reserved: state.reserved - event.data.quantity, committed: state.committed + event.data.quantity, reservations: without(state, event.data.orderId) };
    }
  },
  decide: (command: ProductCommand, state) => {
    const { metadata = {} } = command;
    switch (command.type) {
      case 'Stock': {
        const { productId, name, quantity } = command;
        if (state.productId !== '' && productId !== state.productId) throw new DomainRuleError(`This stream holds product ${state.productId}`);
        return ProductStocked.create({ productId, name, quantity }, { metadata });
      }
      case 'Reserve': {
        if (heldBy(state, command.orderId) !== undefined) throw new DomainRuleError(`Order ${command.orderId} already holds ${state.productId}`);
        if (command.quantity > state.available) {
          throw new DomainRuleError(`Not enough ${state.productId}: ${command.quantity} requested, ${state.available} available`, 'insufficient_stock');
        }
        return StockReserved.create({ orderId: command.orderId, quantity: command.quantity }, { metadata });
      }
      case 'Release': {
        const quantity = heldBy(state, command.orderId);
        return quantity === undefined ? [] : StockReleased.create({ orderId: command.orderId, quantity }, { metadata }); // nothing held: nothing to do
      }
      case 'Commit': {
        const quantity = heldBy(state, command.orderId);
        if (quantity === undefined) throw new DomainRuleError(`Order ${command.orderId} holds no ${state.productId}`);
        return StockCommitted.create({ orderId: command.orderId, quantity }, { metadata });
      }
    }
  },
});
// #endregion
