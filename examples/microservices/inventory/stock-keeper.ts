// #region reserve
import type { EventMetadata, EventStore, LoadedState } from '../shared/eventuali.js';
import { DomainRuleError, NotFoundError } from '../shared/domain-error.js';
import { KeyedLock } from '../shared/keyed-lock.js';
import { retryOnConflict } from '../shared/retry.js';
import type { StockLine } from './events.js';
import { Product, productStreamId, type ProductState } from './product.js';
import { Reservation, reservationStreamId, type ReservationState } from './reservation.js';
import { appendTogether, decideOn, loadOrInitial } from './stream-changes.js';

export type LoadedProduct = LoadedState<ProductState>;
export type LoadedReservation = LoadedState<ReservationState>;

/**
 * The inventory's commands, on the Product and Reservation deciders. Stocking a product is one
 * stream: `store.handle()`. Reserving, releasing and committing change an order's reservation and
 * each of its products together: each stream's decider decides, and the events are appended in
 * one transaction, each stream at the version it was decided at: all of them or none. Each is
 * idempotent per order id, so a saga step that runs twice changes stock once. Within this process,
 * commands on the same products take turns (a lock per stream), so a rush of orders for one
 * product does not fail on version conflicts; another inventory process's writes are still caught
 * by the store's version check, and the command is decided again.
 */
export class StockKeeper {
  readonly #locks = new KeyedLock();

  constructor(private readonly store: EventStore) {}

  product(productId: string): Promise<LoadedProduct | null> {
    return this.store.loadState(Product, productStreamId(productId));
  }

  reservation(orderId: string): Promise<LoadedReservation | null> {
    return this.store.loadState(Reservation, reservationStreamId(orderId));
  }

  // #elide … stock(): one stream, so store.handle(Product, productStreamId(productId), { type: 'Stock', … })
  /** Adds stock, creating the product the first time (a stream with no events is version 0). */
  stock(productId: string, name: string, quantity: number, metadata: EventMetadata): Promise<{ product: LoadedProduct; created: boolean }> {
    return this.#exclusive([productStreamId(productId)], async () => {
      const { state, version, events } = await this.store.handle(Product, productStreamId(productId), { type: 'Stock', productId, name, quantity, metadata });
      return { product: { state, version }, created: version === events.length };
    });
  }
  // #endelide

  /** Moves the order's items from available to reserved, or fails (409) naming every shortage. */
  reserve(orderId: string, lines: readonly StockLine[], metadata: EventMetadata): Promise<LoadedReservation> {
    const items = mergeLines(lines);
    return this.#exclusive([reservationStreamId(orderId), ...items.map((line) => productStreamId(line.productId))], async () => {
      const reservation = await loadOrInitial(this.store, Reservation, reservationStreamId(orderId));
      const { status } = reservation.state;
      if (status === 'reserved' || status === 'committed') {
        if (!sameLines(reservation.state.items, items)) {
          throw new DomainRuleError(`Order ${orderId} already holds different stock`, 'reservation_mismatch');
        }
        return reservation; // a repeated request: already done
      }
      if (status === 'released') {
        throw new DomainRuleError(`Stock for order ${orderId} was released; it cannot be reserved again`, 'already_released');
      }
      const products = await this.#loadProducts(items);
      const shortages = items
        .map((line, i) => ({ product_id: line.productId, requested: line.quantity, available: products[i]!.state.available }))
        .filter((s) => s.requested > s.available);
      if (shortages.length > 0) {
        const list = shortages.map((s) => `${s.product_id} (${s.requested} requested, ${s.available} available)`).join(', ');
        throw new DomainRuleError(`Not enough stock for order ${orderId}: ${list}`, 'insufficient_stock', { shortages });
      }
      const held = decideOn(Reservation, reservationStreamId(orderId), reservation, { type: 'Reserve', orderId, items, metadata });
      const stored = await appendTogether(this.store, [
        ...items.map((line, i) => decideOn(Product, productStreamId(line.productId), products[i]!, { type: 'Reserve', orderId, quantity: line.quantity, metadata })),
        held,
      ]);
      return held.after(stored.at(-1) ?? []);
    });
  }

  // #elide … release() and commit(), which settle a reservation the same way
  /** Gives the order's reserved stock back (a saga compensation). */
  release(orderId: string, metadata: EventMetadata): Promise<LoadedReservation> {
    return this.#settle(orderId, 'Release', metadata);
  }

  /** The order's reserved stock leaves the warehouse (the order was confirmed). */
  commit(orderId: string, metadata: EventMetadata): Promise<LoadedReservation> {
    return this.#settle(orderId, 'Commit', metadata);
  }

  async #settle(orderId: string, type: 'Release' | 'Commit', metadata: EventMetadata): Promise<LoadedReservation> {
    // A reservation's products never change: read them first, to take their locks.
    const items = (await this.reservation(orderId))?.state.items ?? [];
    return this.#exclusive([reservationStreamId(orderId), ...items.map((line) => productStreamId(line.productId))], async () => {
      const reservation = await this.reservation(orderId);
      if (!reservation) throw new NotFoundError('Reservation for order', orderId);
      const settled = decideOn(Reservation, reservationStreamId(orderId), reservation, { type, metadata });
      if (reservation.state.status !== 'reserved') return reservation; // repeated: a no-op, or decide threw the rule error (release after commit…)
      const products = await this.#loadProducts(reservation.state.items);
      const stock = products.map((product, i) => decideOn(Product, productStreamId(reservation.state.items[i]!.productId), product, { type, orderId, metadata }));
      const stored = await appendTogether(this.store, [...stock, settled]);
      return settled.after(stored.at(-1) ?? []);
    });
  }
  // #endelide

  async #loadProducts(items: readonly StockLine[]): Promise<LoadedProduct[]> {
    const products: LoadedProduct[] = [];
    for (const line of items) {
      const product = await this.product(line.productId);
      if (!product) throw new NotFoundError('Product', line.productId);
      products.push(product);
    }
    return products;
  }

  /** `fn` while holding these streams' locks, run again when another process changed one of them meanwhile. */
  #exclusive<T>(streams: readonly string[], fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(streams, () => retryOnConflict(fn));
  }
}

/** One line per product, quantities added up, in a stable order. */
function mergeLines(lines: readonly StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([productId, quantity]) => ({ productId, quantity }));
}

function sameLines(a: readonly StockLine[], b: readonly StockLine[]): boolean {
  return a.length === b.length && a.every((line, i) => line.productId === b[i]?.productId && line.quantity === b[i]?.quantity);
}
// #endregion
