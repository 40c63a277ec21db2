import { z } from 'zod';
import { defineEvent, defineSaga, SagaCoordinator, type DurableSubscription, type EventStore } from '../../src/index.js';

export const OrderPlaced = defineEvent('OrderPlaced', z.object({ orderId: z.string(), note: z.string() }));
export const OrderShipped = defineEvent('OrderShipped', z.object({ orderId: z.string() }));

/** Event data that would run if the inspector put it into a page as markup. */
export const HOSTILE_NOTE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

export interface SeededStore {
  /** Running in this process: its dead letter can be replayed from the inspector. */
  emails: DurableSubscription;
  /** Stopped behind the head: lags by `reportsLag` events. */
  reports: DurableSubscription;
  reportsLag: number;
  /** Makes the emails handler succeed from now on (so a replay handles the dead letter). */
  heal(): void;
  placedEventId: string;
  shippedEventId: string;
  hostileEventId: string;
  sagaId: string;
  close(): Promise<void>;
}

/** Streams, a lagging subscription, a dead letter, a compensated saga and hostile event data. */
export async function seedStore(store: EventStore): Promise<SeededStore> {
  const placed = await store.append('Order', 'order-1', 'no-stream', [
    OrderPlaced.create({ orderId: 'order-1', note: 'two mugs' }, { metadata: { correlationId: 'corr-order-1' } }),
  ]);
  const placedEvent = placed[0]!;
  const shipped = await store.append('Order', 'order-1', 1, [OrderShipped.create({ orderId: 'order-1' }, { metadata: { correlationId: 'corr-order-1', causationId: placedEvent.eventId } })]);
  await store.append('Order', 'order-2', 'no-stream', [OrderPlaced.create({ orderId: 'order-2', note: 'a teapot' })]);
  const hostile = await store.append('Order', 'order-3', 'no-stream', [OrderPlaced.create({ orderId: 'order-3', note: HOSTILE_NOTE })]);

  let healed = false;
  const emails = store.subscribe({
    id: 'emails',
    eventTypes: [OrderPlaced],
    retry: { attempts: 1 },
    handle: (event) => {
      if (!healed && (event.data as { orderId: string }).orderId === 'order-2') throw new Error('SMTP server refused <b>order-2</b>');
    },
  });
  await emails.start();
  await emails.waitUntilCaughtUp();

  const reports = store.subscribe({ id: 'reports', aggregateTypes: ['Order'], handle: () => undefined });
  await reports.start();
  await reports.waitUntilCaughtUp();
  await reports.stop();
  const reportsLag = 3;
  for (let i = 4; i < 4 + reportsLag; i++) {
    await store.append('Order', `order-${i}`, 'no-stream', [OrderPlaced.create({ orderId: `order-${i}`, note: `order ${i}` })]);
  }

  const checkout = defineSaga('checkout', {
    input: z.object({ orderId: z.string() }),
    steps: [
      { name: 'reserve-stock', execute: () => ({ reserved: true }), compensate: () => undefined },
      {
        name: 'charge-card',
        execute: () => {
          throw new Error('card declined');
        },
      },
    ],
  });
  const coordinator = new SagaCoordinator(store, { sagas: [checkout] });
  const sagaId = await coordinator.start('checkout', { orderId: 'order-2' }, { sagaId: 'checkout-order-2' });
  await coordinator.waitFor(sagaId, { timeoutMs: 20_000 });
  await coordinator.stop();
  await emails.waitUntilCaughtUp();

  return {
    emails,
    reports,
    reportsLag,
    heal: () => {
      healed = true;
    },
    placedEventId: placedEvent.eventId,
    shippedEventId: shipped[0]!.eventId,
    hostileEventId: hostile[0]!.eventId,
    sagaId,
    close: () => emails.stop(),
  };
}
