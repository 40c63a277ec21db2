// docs/events.md: the order events the other examples of the page use (saved as order-events.ts).
// #region define
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../src/index.js';

export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    totalCents: z.bigint().nonnegative(), // stored as a decimal string, read back as a bigint
    placedAt: z.date(), // stored as an ISO string, read back as a Date
    items: z.array(z.object({ productId: z.string(), quantity: z.number().int().positive() })).min(1),
  }),
);

export const OrderCancelled = defineEvent('OrderCancelled', z.object({ orderId: z.string(), reason: z.string() }));

export type OrderPlacedEvent = EventOf<typeof OrderPlaced>; // Event<'OrderPlaced', { orderId: string; … }>
// #endregion
