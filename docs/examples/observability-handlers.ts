// docs/observability.md, "Subscriptions, projections and sagas".
// #region imports
import { EventStore, defineEvent, type DurableSubscription } from '../../src/index.js';
import { z } from 'zod';
// #endregion
import type { Logger } from '../../src/index.js';

// #region events
const OrderPlaced = defineEvent('DocTracedOrderPlaced', z.object({ orderId: z.string() }));
const ReceiptSent = defineEvent('DocTracedReceiptSent', z.object({ orderId: z.string() }));
// #endregion

// #region subscribe
/** Each call of `handle` is a span in the trace of the request that placed the order. */
export function receipts(store: EventStore, send: (orderId: string) => Promise<void>): DurableSubscription {
  return store.subscribe({
    id: 'receipts',
    events: [OrderPlaced],
    slowHandlerMs: 2000, // a call slower than this is logged at warn ('slow handler'), given a logger
    handle: async (event, ctx) => {
      await send(event.data.orderId);
      // Appended in the handler's span: the receipt's own handlers continue the same trace.
      await store.append('Receipt', `receipt-${event.data.orderId}`, 'no-stream', [ReceiptSent.create({ orderId: event.data.orderId }, { metadata: ctx.metadata })]);
    },
  });
}
// #endregion

export async function main(url = 'memory:'): Promise<string[]> {
  const lines: string[] = [];
  const line = (level: string) => (_fields: object, message?: string) => void lines.push(`${level} ${message}`);
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const store = (await EventStore.create(url, { logger })).register(OrderPlaced, ReceiptSent);
  const subscription = receipts(store, async () => undefined);
  await store.append('Order', 'order-1', 'no-stream', [OrderPlaced.create({ orderId: 'order-1' })]);
  await subscription.start();
  await subscription.waitUntilCaughtUp();
  await subscription.stop();
  await store.close();
  return lines;
}
