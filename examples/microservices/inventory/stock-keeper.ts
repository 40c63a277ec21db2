// #region reserve
import type { EventMetadata, EventStore, Transaction } from '../shared/eventuali.js';
import { DomainRuleError, NotFoundError } from '../shared/domain-error.js';
import { KeyedLock } from '../shared/keyed-lock.js';
import { retryOnConflict } from '../shared/retry.js';
import type { StockLine } from './events.js';
import { Product, productStreamId } from './product.js';
import { Reservation, reservationStreamId } from './reservation.js';

/**
 * The inventory's commands. Reserving, releasing and committing change an order's reservation and
 * each of its products together, in one transaction: all of them or none. Each is idempotent per
 * order id, so a saga step that runs twice changes stock once. Within this process, commands on
 * the same products take turns (a lock per stream), so a rush of orders for one product does
 * not fail on version conflicts; another inventory process's writes are still caught by the
 * store's version check and retried.
 */
export class StockKeeper {
  readonly #locks = new KeyedLock();

  constructor(private readonly store: EventStore) {}

  // #elide … product(), reservation() and stock()
  product(productId: string): Promise<Product | null> {
    return this.store.load(Product, productStreamId(productId));
  }

  reservation(orderId: string): Promise<Reservation | null> {
    return this.store.load(Reservation, reservationStreamId(orderId));
  }

  /** Adds stock, creating the product the first time. */
  stock(productId: string, name: string, quantity: number, metadata: EventMetadata): Promise<{ product: Product; created: boolean }> {
    return this.#exclusive([productStreamId(productId)], async () => {
      const existing = await this.product(productId);
      const product = existing ?? new Product(productStreamId(productId));
      product.stock(productId, name, quantity, metadata);
      await this.store.save(product);
      return { product, created: existing === null };
    });
  }
  // #endelide

  /** Moves the order's items from available to reserved, or fails (409) naming every shortage. */
  reserve(orderId: string, lines: readonly StockLine[], metadata: EventMetadata): Promise<Reservation> {
    const items = mergeLines(lines);
    return this.#exclusive([reservationStreamId(orderId), ...items.map((line) => productStreamId(line.productId))], () =>
      this.store.transaction(async (tx) => {
        const reservation = (await tx.load(Reservation, reservationStreamId(orderId))) ?? new Reservation(reservationStreamId(orderId));
        if (reservation.status === 'reserved' || reservation.status === 'committed') {
          if (!sameLines(reservation.items, items)) {
            throw new DomainRuleError(`Order ${orderId} already holds different stock`, 'reservation_mismatch');
          }
          return reservation; // a repeated request: already done
        }
        if (reservation.status === 'released') {
          throw new DomainRuleError(`Stock for order ${orderId} was released; it cannot be reserved again`, 'already_released');
        }
        const products = await loadProducts(tx, items);
        const shortages = items
          .map((line, i) => ({ product_id: line.productId, requested: line.quantity, available: products[i]!.available }))
          .filter((s) => s.requested > s.available);
        if (shortages.length > 0) {
          const list = shortages.map((s) => `${s.product_id} (${s.requested} requested, ${s.available} available)`).join(', ');
          throw new DomainRuleError(`Not enough stock for order ${orderId}: ${list}`, 'insufficient_stock', { shortages });
        }
        items.forEach((line, i) => products[i]!.reserve(orderId, line.quantity, metadata));
        reservation.reserve(orderId, items, metadata);
        await saveChanged(tx, [...products, reservation]);
        return reservation;
      }),
    );
  }

  // #elide … release() and commit(), which settle a reservation the same way
  /** Gives the order's reserved stock back (a saga compensation). */
  release(orderId: string, metadata: EventMetadata): Promise<Reservation> {
    return this.#settle(orderId, (reservation, products) => {
      products.forEach((p) => p.release(orderId, metadata));
      reservation.release(metadata);
    });
  }

  /** The order's reserved stock leaves the warehouse (the order was confirmed). */
  commit(orderId: string, metadata: EventMetadata): Promise<Reservation> {
    return this.#settle(orderId, (reservation, products) => {
      reservation.commit(metadata);
      products.forEach((p) => p.commit(orderId, metadata));
    });
  }

  async #settle(orderId: string, change: (reservation: Reservation, products: Product[]) => void): Promise<Reservation> {
    // A reservation's products never change: read them first, to take their locks.
    const items = (await this.reservation(orderId))?.items ?? [];
    return this.#exclusive([reservationStreamId(orderId), ...items.map((line) => productStreamId(line.productId))], () =>
      this.store.transaction(async (tx) => {
        const reservation = await tx.load(Reservation, reservationStreamId(orderId));
        if (!reservation) throw new NotFoundError('Reservation for order', orderId);
        if (reservation.status !== 'reserved') {
          change(reservation, []); // repeated: a no-op, or the rule error (release after commit…)
          return reservation;
        }
        const products = await loadProducts(tx, reservation.items);
        change(reservation, products);
        await saveChanged(tx, [...products, reservation]);
        return reservation;
      }),
    );
  }
  // #endelide

  /** `fn` while holding these streams' locks, run again when another process changed one of them meanwhile. */
  #exclusive<T>(streams: readonly string[], fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(streams, () => retryOnConflict(fn));
  }
}

async function loadProducts(tx: Transaction, items: readonly StockLine[]): Promise<Product[]> {
  const products: Product[] = [];
  for (const line of items) {
    const product = await tx.load(Product, productStreamId(line.productId));
    if (!product) throw new NotFoundError('Product', line.productId);
    products.push(product);
  }
  return products;
}

async function saveChanged(tx: Transaction, aggregates: readonly (Product | Reservation)[]): Promise<void> {
  for (const aggregate of aggregates) {
    if (aggregate.getUncommittedEvents().length > 0) await tx.save(aggregate);
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
