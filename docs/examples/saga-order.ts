// docs/sagas.md: the order saga, run against in-memory fakes of the services it calls.
// #region imports
import { z } from 'zod';
import {
  EventStore,
  SagaCompensated,
  SagaCoordinator,
  SagaError,
  SagaStepFailed,
  defineSaga,
  type DurableSubscription,
  type SagaState,
} from '../../src/index.js';
import { Inventory, OrderItem, Orders, Payments } from './saga-services.js';
// #endregion

// #region order-input
export const OrderInput = z.object({
  orderId: z.string().min(1),
  items: z.array(OrderItem).min(1),
  amountCents: z.number().int().positive(),
});
// #endregion

// #region saga
export function orderSaga(inventory: Inventory, payments: Payments, orders: Orders) {
  return defineSaga('order-processing', {
    input: OrderInput, // start() validates the input; ctx.input is typed from it
    steps: [
      {
        name: 'inventory_reserved',
        execute: (ctx) => inventory.reserve(ctx.input.orderId, ctx.input.items, ctx.idempotencyKey),
        compensate: (ctx) => inventory.release(ctx.input.orderId),
      },
      {
        name: 'payment_processed',
        // A throw is a failed attempt, retried: 2 attempts, 50 ms apart. An error with
        // `retryable: false` (PaymentDeclined) fails the step at once, with no retry.
        retry: { attempts: 2, backoffMs: 50 },
        timeoutMs: 10_000, // aborts ctx.signal and counts as a failed attempt
        // The return value (JSON) is kept as the step's result: ctx.results['payment_processed'].
        execute: (ctx) => payments.charge(ctx.input.amountCents, ctx.idempotencyKey),
        compensate: (ctx) => {
          const { paymentId } = ctx.results['payment_processed'] as { paymentId: string };
          payments.refund(paymentId);
        },
      },
      {
        name: 'order_confirmed', // the last step: nothing after it can fail, so nothing to undo
        execute: (ctx) => orders.confirm(ctx.input.orderId),
      },
    ],
    compensationRetry: { attempts: 3, backoffMs: 100 }, // the default
  });
}
// #endregion

// #region outcomes
/** Cancels the order of every order saga that ended compensated, through a durable subscription. */
export function cancelOrdersOfCompensatedSagas(store: EventStore, coordinator: SagaCoordinator, orders: Orders): DurableSubscription {
  return store.subscribe({
    id: 'cancel-compensated-orders',
    eventTypes: [SagaCompensated], // saga transitions are events of aggregate type 'eventuali.Saga'
    handle: async (event) => {
      const saga = await coordinator.get(event.aggregateId); // the saga id is the aggregate id
      if (saga?.name !== 'order-processing') return;
      const { orderId } = OrderInput.parse(saga.input);
      orders.cancel(orderId, saga.failureReason ?? 'compensated');
    },
  });
}
// #endregion

// #region place-order
export async function placeOrder(coordinator: SagaCoordinator, input: z.input<typeof OrderInput>): Promise<SagaState> {
  // One saga per order: a repeated start (a retried request) returns the same id and runs nothing twice.
  const sagaId = await coordinator.start('order-processing', input, { sagaId: `order-${input.orderId}-saga` });
  return coordinator.waitFor(sagaId, { timeoutMs: 10_000 }); // the final state
}
// #endregion

// #region coordinator
export async function startCoordinator(store: EventStore, inventory: Inventory, payments: Payments, orders: Orders): Promise<SagaCoordinator> {
  const coordinator = new SagaCoordinator(store, {
    sagas: [orderSaga(inventory, payments, orders)],
    recoverEveryMs: 10_000, // also take over, later, the sagas of coordinators that die
  });
  coordinator.on('step', ({ sagaId, step, kind }) => console.log(`${sagaId}: ${step} ${kind}`));
  coordinator.on('failed', (state) => console.error(`${state.sagaId} needs a person: ${state.failureReason}`));
  // A run or a recover() that hit an unexpected error (sagaId '' for a periodic recover()).
  coordinator.on('error', (error, sagaId) => console.error(`saga ${sagaId || '(recover)'}:`, error));
  await coordinator.recover(); // at startup: resume the sagas a dead coordinator left unfinished
  return coordinator;
}
// #endregion

// #region errors
export async function startWithBadInput(coordinator: SagaCoordinator): Promise<unknown> {
  const error = await coordinator.start('order-processing', { orderId: 'o-4', items: [] }).catch((e: unknown) => e);
  if (error instanceof SagaError && error.code === 'SAGA_INPUT') console.log(error.details.issues?.[0]?.path); // [ 'items' ]
  return error;
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const inventory = new Inventory();
  inventory.available.set('book', 5);
  const payments = new Payments(10_000); // declines above 100.00
  const orders = new Orders();
  const store = await EventStore.create(url);
  const coordinator = await startCoordinator(store, inventory, payments, orders);
  const outcomes = cancelOrdersOfCompensatedSagas(store, coordinator, orders);
  await outcomes.start();
  try {
    const confirmed = await placeOrder(coordinator, { orderId: 'o-1', items: [{ productId: 'book', quantity: 2 }], amountCents: 3050 });
    const retried = await placeOrder(coordinator, { orderId: 'o-1', items: [{ productId: 'book', quantity: 2 }], amountCents: 3050 });
    const declined = await placeOrder(coordinator, { orderId: 'o-2', items: [{ productId: 'book', quantity: 1 }], amountCents: 50_000 });
    const outOfStock = await placeOrder(coordinator, { orderId: 'o-3', items: [{ productId: 'book', quantity: 9 }], amountCents: 100 });
    await outcomes.waitUntilCaughtUp();

    const error = await startWithBadInput(coordinator);

    const summary = (s: SagaState) => ({
      status: s.status,
      stepsCompleted: s.stepsCompleted,
      stepsCompensated: s.stepsCompensated,
      failedStep: s.failedStep,
      failureReason: s.failureReason,
    });
    return {
      confirmed: { ...summary(confirmed), version: confirmed.version, results: confirmed.results },
      retriedSameSaga: retried.sagaId === confirmed.sagaId && retried.version === confirmed.version,
      declined: summary(declined),
      outOfStock: summary(outOfStock),
      stock: inventory.available.get('book'),
      charges: [...payments.charges.values()].map((c) => `${c.paymentId} ${c.amountCents} refunded=${c.refunded}`),
      orders: Object.fromEntries(orders.status),
      inputError: error instanceof SagaError ? error.code : undefined,
      sagas: (await coordinator.list({ name: 'order-processing' })).map((s) => `${s.sagaId} ${s.status}`).sort(),
      sagaEvents: (await store.loadEvents(declined.sagaId)).map((e) => e.eventType),
      // PaymentDeclined has retryable: false, so the step's retry did not apply.
      declinedAttempts: (await store.loadEvents(declined.sagaId)).find((e) => SagaStepFailed.is(e))?.data.attempts,
    };
  } finally {
    await coordinator.stop(); // before closing the store: lets running steps finish
    await store.close();
  }
}
