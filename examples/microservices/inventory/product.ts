import { Aggregate, type EventMetadata, type EventOf } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import { ProductStocked, StockCommitted, StockReleased, StockReserved } from './events.js';

/** The stream of a product: ids chosen by clients get a prefix, so they never collide with other streams. */
export const productStreamId = (productId: string): string => `product:${productId}`;

/** One product's stock: available, reserved for orders, committed (shipped out). */
export class Product extends Aggregate {
  static override readonly aggregateType = 'Product';

  productId = '';
  name = '';
  available = 0;
  reserved = 0;
  committed = 0;
  /** Open reservations, by order. */
  reservations: { orderId: string; quantity: number }[] = [];

  stock(productId: string, name: string, quantity: number, metadata: EventMetadata = {}): void {
    if (!this.isNew() && productId !== this.productId) throw new DomainRuleError(`This stream holds product ${this.productId}`);
    this.apply(ProductStocked.create({ productId, name, quantity }, { metadata }));
  }

  reservationFor(orderId: string): number | undefined {
    return this.reservations.find((r) => r.orderId === orderId)?.quantity;
  }

  reserve(orderId: string, quantity: number, metadata: EventMetadata = {}): void {
    if (this.reservationFor(orderId) !== undefined) throw new DomainRuleError(`Order ${orderId} already holds ${this.productId}`);
    if (quantity > this.available) {
      throw new DomainRuleError(`Not enough ${this.productId}: ${quantity} requested, ${this.available} available`, 'insufficient_stock');
    }
    this.apply(StockReserved.create({ orderId, quantity }, { metadata }));
  }

  /** Gives the order's reserved stock back; nothing to do when it holds none. */
  release(orderId: string, metadata: EventMetadata = {}): void {
    const quantity = this.reservationFor(orderId);
    if (quantity === undefined) return;
    this.apply(StockReleased.create({ orderId, quantity }, { metadata }));
  }

  commit(orderId: string, metadata: EventMetadata = {}): void {
    const quantity = this.reservationFor(orderId);
    if (quantity === undefined) throw new DomainRuleError(`Order ${orderId} holds no ${this.productId}`);
    this.apply(StockCommitted.create({ orderId, quantity }, { metadata }));
  }

  applyProductStocked(event: EventOf<typeof ProductStocked>): void {
    this.productId = event.data.productId;
    this.name = event.data.name;
    this.available += event.data.quantity;
  }

  applyStockReserved(event: EventOf<typeof StockReserved>): void {
    this.available -= event.data.quantity;
    this.reserved += event.data.quantity;
    this.reservations.push({ orderId: event.data.orderId, quantity: event.data.quantity });
  }

  applyStockReleased(event: EventOf<typeof StockReleased>): void {
    this.reserved -= event.data.quantity;
    this.available += event.data.quantity;
    this.reservations = this.reservations.filter((r) => r.orderId !== event.data.orderId);
  }

  applyStockCommitted(event: EventOf<typeof StockCommitted>): void {
    this.reserved -= event.data.quantity;
    this.committed += event.data.quantity;
    this.reservations = this.reservations.filter((r) => r.orderId !== event.data.orderId);
  }
}
