import { z } from 'zod';
import { defineEvent, defineSaga, EventStore, SagaCoordinator } from '../../src/index.js';

export const OrderPlaced = defineEvent('OrderPlaced', z.object({ total: z.number(), note: z.string() }));
export const OrderShipped = defineEvent('OrderShipped', z.object({ carrier: z.string() }));

/** What the seeded store holds, for the tests to check the commands' output against. */
export interface Seeded {
  orders: string[];
  compensatedSaga: string;
  completedSaga: string;
  deadLetterId: string;
  /** The subscription that parked a dead letter and is behind (stopped, then events appended). */
  lagging: string;
}

/**
 * Seeds a store through the public API: three Order streams, a subscription that parks one dead
 * letter and then falls behind, a saga that completes and one that is compensated.
 */
export async function seedStore(url: string, options: { schema?: string } = {}): Promise<Seeded> {
  const store = await EventStore.create(url, options);
  try {
    store.register(OrderPlaced, OrderShipped);
    const orders = ['order-1', 'order-2', 'order-3'];
    for (const [i, id] of orders.entries()) {
      await store.append('Order', id, 'no-stream', [OrderPlaced.create({ total: 10 * (i + 1), note: i === 2 ? '<script>alert(1)</script>' : 'ok' })]);
    }
    await store.append('Order', 'order-1', 1, [OrderShipped.create({ carrier: 'ups' })]);

    const lagging = 'mailer';
    const mailer = store.subscribe({
      id: lagging,
      aggregateTypes: ['Order'],
      retry: { attempts: 1, backoffMs: 1 },
      handle: (event) => {
        if (event.aggregateId === 'order-2') throw new Error('smtp down\nsecond line');
      },
    });
    await mailer.start();
    await mailer.waitUntilCaughtUp();
    await mailer.stop();
    const [letter] = await mailer.listDeadLetters();
    if (!letter) throw new Error('seed: no dead letter was parked');
    await store.append('Order', 'order-4', 'no-stream', [OrderPlaced.create({ total: 40, note: 'late' })]);
    await store.append('Order', 'order-5', 'no-stream', [OrderPlaced.create({ total: 50, note: 'late' })]);

    const trip = defineSaga('trip', {
      input: z.object({ failAt: z.string() }),
      steps: [
        { name: 'flight', execute: () => 'F1', compensate: () => undefined },
        { name: 'hotel', execute: () => 'H1', compensate: () => undefined },
        {
          name: 'car',
          execute: (ctx) => {
            if (ctx.input.failAt === 'car') throw new Error('no cars left');
            return 'C1';
          },
        },
      ],
    });
    const coordinator = new SagaCoordinator(store, { sagas: [trip] });
    const completedSaga = await coordinator.start('trip', { failAt: 'none' }, { sagaId: 'saga-ok' });
    await coordinator.waitFor(completedSaga);
    const compensatedSaga = await coordinator.start('trip', { failAt: 'car' }, { sagaId: 'saga-undone' });
    const state = await coordinator.waitFor(compensatedSaga);
    if (state.status !== 'compensated') throw new Error(`seed: the saga ended ${state.status}`);
    await coordinator.stop();
    return { orders: [...orders, 'order-4', 'order-5'], compensatedSaga, completedSaga, deadLetterId: letter.id, lagging };
  } finally {
    await store.close();
  }
}
