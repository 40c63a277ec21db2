// #region order-rules
import { Aggregate, type EventMetadata, type EventOf } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import {
  OrderCancelled,
  OrderConfirmed,
  OrderDelivered,
  OrderPlaced,
  OrderShipped,
  PaymentProcessed,
  type OrderLine,
} from './events.js';

export type OrderStatus = 'draft' | 'placed' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled';
export type PaymentStatus = 'pending' | 'processed' | 'failed';

// #elide … MAX_ORDER_TOTAL_CENTS and the Placement type
/** Largest order total: keeps cents a safe integer with room to spare (100,000,000.00). */
export const MAX_ORDER_TOTAL_CENTS = 10_000_000_000;

export interface Placement {
  customerId: string;
  items: OrderLine[];
  shippingAddress: Record<string, string>;
  paymentMethod: string;
}
// #endelide

/** An order's lifecycle, with the guide's rules. */
export class Order extends Aggregate {
  static override readonly aggregateType = 'Order';

  customerId = '';
  items: OrderLine[] = [];
  totalAmountCents = 0;
  shippingAddress: Record<string, string> = {};
  paymentMethod = '';
  status: OrderStatus = 'draft';
  paymentStatus: PaymentStatus = 'pending';
  paymentId: string | null = null;
  trackingNumber: string | null = null;
  carrier: string | null = null;
  estimatedDelivery: Date | null = null;
  deliveredTo: string | null = null;
  cancellationReason: string | null = null;
  refundAmountCents = 0;
  placedAt: Date | null = null;
  shippedAt: Date | null = null;
  deliveredAt: Date | null = null;
  cancelledAt: Date | null = null;

  // #elide … place() and confirm()
  place(placement: Placement, metadata: EventMetadata = {}): void {
    if (!this.isNew()) throw new DomainRuleError('Order already placed', 'already_placed');
    if (placement.items.length === 0) throw new DomainRuleError('Order must have at least one item', 'no_items');
    const total = placement.items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
    if (!Number.isSafeInteger(total) || total > MAX_ORDER_TOTAL_CENTS) {
      throw new DomainRuleError('Order total is above the largest accepted amount', 'total_too_large');
    }
    this.apply(OrderPlaced.create({ ...placement, totalAmountCents: total }, { metadata }));
  }

  confirm(confirmedBy: string, estimatedDelivery: Date, metadata: EventMetadata = {}): void {
    if (this.status !== 'placed') throw new DomainRuleError(`Cannot confirm order in status: ${this.status}`, 'invalid_status');
    this.apply(OrderConfirmed.create({ confirmedBy, estimatedDelivery }, { metadata }));
  }
  // #endelide

  ship(trackingNumber: string, carrier: string, metadata: EventMetadata = {}): void {
    if (this.status !== 'confirmed') throw new DomainRuleError(`Cannot ship order in status: ${this.status}`, 'invalid_status');
    this.apply(OrderShipped.create({ trackingNumber, carrier, shippedAt: new Date() }, { metadata }));
  }

  deliver(deliveredTo: string, metadata: EventMetadata = {}): void {
    if (this.status !== 'shipped') throw new DomainRuleError(`Cannot deliver order in status: ${this.status}`, 'invalid_status');
    this.apply(OrderDelivered.create({ deliveredAt: new Date(), deliveredTo }, { metadata }));
  }

  /** Cancels; a paid order is refunded in full (the refund amount is recorded on the event). */
  cancel(reason: string, cancelledBy: string, metadata: EventMetadata = {}): void {
    if (this.status === 'delivered' || this.status === 'cancelled') {
      throw new DomainRuleError(`Cannot cancel order in status: ${this.status}`, 'invalid_status');
    }
    const refundAmountCents = this.paymentStatus === 'processed' ? this.totalAmountCents : 0;
    this.apply(OrderCancelled.create({ reason, cancelledBy, refundAmountCents }, { metadata }));
  }
  // #elide … processPayment() and the apply<Event> methods

  /** Records the payment gateway's answer. Only an order awaiting confirmation can be paid, once. */
  processPayment(paymentId: string, paymentMethod: string, status: 'success' | 'failed', metadata: EventMetadata = {}): void {
    if (this.status !== 'placed') throw new DomainRuleError(`Cannot take payment for order in status: ${this.status}`, 'invalid_status');
    if (this.paymentStatus === 'processed') throw new DomainRuleError('Payment already processed', 'already_paid');
    this.apply(PaymentProcessed.create({ paymentId, amountCents: this.totalAmountCents, paymentMethod, status }, { metadata }));
  }

  applyOrderPlaced(event: EventOf<typeof OrderPlaced>): void {
    this.customerId = event.data.customerId;
    this.items = event.data.items;
    this.totalAmountCents = event.data.totalAmountCents;
    this.shippingAddress = event.data.shippingAddress;
    this.paymentMethod = event.data.paymentMethod;
    this.status = 'placed';
    this.placedAt = event.timestamp;
  }

  applyOrderConfirmed(event: EventOf<typeof OrderConfirmed>): void {
    this.status = 'confirmed';
    this.estimatedDelivery = event.data.estimatedDelivery;
  }

  applyOrderShipped(event: EventOf<typeof OrderShipped>): void {
    this.status = 'shipped';
    this.trackingNumber = event.data.trackingNumber;
    this.carrier = event.data.carrier;
    this.shippedAt = event.data.shippedAt;
  }

  applyOrderDelivered(event: EventOf<typeof OrderDelivered>): void {
    this.status = 'delivered';
    this.deliveredAt = event.data.deliveredAt;
    this.deliveredTo = event.data.deliveredTo;
  }

  applyOrderCancelled(event: EventOf<typeof OrderCancelled>): void {
    this.status = 'cancelled';
    this.cancellationReason = event.data.reason;
    this.refundAmountCents = event.data.refundAmountCents;
    this.cancelledAt = event.timestamp;
  }

  applyPaymentProcessed(event: EventOf<typeof PaymentProcessed>): void {
    // The guide stores the event's status ('success') but refunds only when it is 'processed':
    // map the gateway's answer to the order's payment status so a paid order is refunded.
    this.paymentStatus = event.data.status === 'success' ? 'processed' : event.data.status === 'failed' ? 'failed' : 'pending';
    this.paymentId = event.data.paymentId;
  }
  // #endelide
}
// #endregion
