// docs/streaming.md: a durable subscription given event definitions gets their typed union.
// #region typed-subscribe
import { z } from 'zod';
import { EventStore, defineEvent } from '../../src/index.js';

export const PaymentReceived = defineEvent('PaymentReceived', z.object({ orderId: z.string(), amountCents: z.number().int() }));
export const PaymentRefunded = defineEvent('PaymentRefunded', z.object({ orderId: z.string(), reason: z.string() }));

export function ledgerSubscription(store: EventStore, ledger: string[]) {
  return store.subscribe({
    id: 'payments-ledger',
    // Only these events (the type filter), and `event` is
    // EventOf<typeof PaymentReceived> | EventOf<typeof PaymentRefunded>, not Event<unknown>.
    events: [PaymentReceived, PaymentRefunded],
    handle: (event) => {
      if (PaymentReceived.is(event)) ledger.push(`+${event.data.amountCents} ${event.data.orderId}`);
      else ledger.push(`refund ${event.data.orderId}: ${event.data.reason}`);
    },
  });
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  const ledger: string[] = [];
  try {
    const payments = ledgerSubscription(store, ledger);
    await store.append('Payment', 'pay-1', 'no-stream', [
      PaymentReceived.create({ orderId: 'o-1', amountCents: 3050 }),
      PaymentRefunded.create({ orderId: 'o-1', reason: 'damaged' }),
    ]);
    await payments.start();
    await payments.waitUntilCaughtUp();
    await payments.stop();
    return ledger;
  } finally {
    await store.close();
  }
}
