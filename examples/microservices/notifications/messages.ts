import type { Event, EventStore } from '../shared/eventuali.js';
import { formatCents } from '../shared/money.js';
import {
  OrderCancelled,
  OrderConfirmed,
  OrderDelivered,
  OrderPlaced,
  OrderShipped,
  PaymentProcessed,
} from '../orders/events.js';
import { UserActivated, UserDeactivated, UserEmailChanged, UserRegistered } from '../users/events.js';
import type { NotificationDraft } from './inbox.js';

/** The events that notify someone: the guide's routing (UserRegistered, UserEmailChanged, OrderPlaced, OrderShipped, PaymentProcessed), plus the rest of an order's and an account's life. */
export const NOTIFYING_EVENTS = [
  UserRegistered,
  UserEmailChanged,
  UserActivated,
  UserDeactivated,
  OrderPlaced,
  PaymentProcessed,
  OrderConfirmed,
  OrderShipped,
  OrderDelivered,
  OrderCancelled,
] as const;

const CUSTOMER_CACHE_LIMIT = 10_000;

/**
 * Turns another service's event into a notification. Order events after OrderPlaced do not name
 * the customer: the first event of the order's stream (OrderPlaced, the order service's published
 * contract) does.
 */
export class NotificationComposer {
  readonly #customers = new Map<string, string>();

  constructor(private readonly store: EventStore) {}

  async compose(event: Event): Promise<NotificationDraft | null> {
    if (UserRegistered.is(event)) {
      const { username, email } = event.data;
      return { recipient: event.aggregateId, type: 'welcome', message: `Welcome, ${username}! Your account is ready (sent to ${email}).` };
    }
    if (UserEmailChanged.is(event)) {
      const { oldEmail, newEmail } = event.data;
      return { recipient: event.aggregateId, type: 'email_changed', message: `Your email address changed from ${oldEmail} to ${newEmail}.` };
    }
    if (UserActivated.is(event)) return { recipient: event.aggregateId, type: 'account_activated', message: 'Your account is active again.' };
    if (UserDeactivated.is(event)) {
      return { recipient: event.aggregateId, type: 'account_deactivated', message: `Your account was deactivated: ${event.data.deactivationReason}.` };
    }
    const order = `order ${event.aggregateId.slice(0, 8)}`;
    if (OrderPlaced.is(event)) {
      this.#remember(event.aggregateId, event.data.customerId);
      const total = formatCents(event.data.totalAmountCents);
      return { recipient: event.data.customerId, type: 'order_placed', message: `We received your ${order} of ${total}.` };
    }
    const recipient = await this.#customerOf(event.aggregateId);
    if (recipient === null) return null;
    if (PaymentProcessed.is(event)) {
      const amount = formatCents(event.data.amountCents);
      return event.data.status === 'success'
        ? { recipient, type: 'payment_processed', message: `Payment of ${amount} received for your ${order}.` }
        : { recipient, type: 'payment_failed', message: `Payment of ${amount} for your ${order} was not accepted (${event.data.status}).` };
    }
    if (OrderConfirmed.is(event)) {
      const day = event.data.estimatedDelivery.toISOString().slice(0, 10);
      return { recipient, type: 'order_confirmed', message: `Your ${order} is confirmed; expected delivery ${day}.` };
    }
    if (OrderShipped.is(event)) {
      const { carrier, trackingNumber } = event.data;
      return { recipient, type: 'order_shipped', message: `Your ${order} shipped with ${carrier}, tracking number ${trackingNumber}.` };
    }
    if (OrderDelivered.is(event)) {
      return { recipient, type: 'order_delivered', message: `Your ${order} was delivered to ${event.data.deliveredTo}.` };
    }
    if (OrderCancelled.is(event)) {
      const refund = event.data.refundAmountCents > 0 ? ` ${formatCents(event.data.refundAmountCents)} will be refunded.` : '';
      return { recipient, type: 'order_cancelled', message: `Your ${order} was cancelled: ${event.data.reason}.${refund}` };
    }
    return null;
  }

  async #customerOf(orderId: string): Promise<string | null> {
    const known = this.#customers.get(orderId);
    if (known !== undefined) return known;
    const [first] = await this.store.loadEvents(orderId, { toVersion: 1 });
    if (!first || !OrderPlaced.is(first)) return null;
    this.#remember(orderId, first.data.customerId);
    return first.data.customerId;
  }

  #remember(orderId: string, customerId: string): void {
    if (this.#customers.size >= CUSTOMER_CACHE_LIMIT) this.#customers.clear();
    this.#customers.set(orderId, customerId);
  }
}
