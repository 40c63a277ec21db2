import { z } from 'zod';
import { defineEvent } from '../shared/eventuali.js';
import { Cents } from '../shared/money.js';

/** The order service's events (the guide's). Money is integer cents; the API renders "30.50". */

export const OrderLine = z.object({
  productId: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: Cents,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({
    customerId: z.string(),
    items: z.array(OrderLine).min(1),
    totalAmountCents: Cents,
    shippingAddress: z.record(z.string(), z.string()),
    /** How the customer pays; the saga's payment step charges it. */
    paymentMethod: z.string().default('credit_card'),
  }),
);

export const OrderConfirmed = defineEvent('OrderConfirmed', z.object({ confirmedBy: z.string(), estimatedDelivery: z.date() }));

export const OrderShipped = defineEvent(
  'OrderShipped',
  z.object({ trackingNumber: z.string(), carrier: z.string(), shippedAt: z.date() }),
);

export const OrderDelivered = defineEvent('OrderDelivered', z.object({ deliveredAt: z.date(), deliveredTo: z.string() }));

export const OrderCancelled = defineEvent(
  'OrderCancelled',
  z.object({ reason: z.string(), cancelledBy: z.string(), refundAmountCents: Cents }),
);

export const PAYMENT_STATUSES = ['success', 'failed', 'pending'] as const;

export const PaymentProcessed = defineEvent(
  'PaymentProcessed',
  z.object({
    paymentId: z.string(),
    amountCents: Cents,
    paymentMethod: z.string(),
    status: z.enum(PAYMENT_STATUSES),
  }),
);

export const ORDER_EVENTS = [OrderPlaced, OrderConfirmed, OrderShipped, OrderDelivered, OrderCancelled, PaymentProcessed] as const;
