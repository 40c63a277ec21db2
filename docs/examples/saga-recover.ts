// docs/sagas.md, "Crashes and recover()": a coordinator dies inside a step; another one resumes the saga.
// #region imports
import { EventStore, SagaCoordinator } from '../../src/index.js';
import { orderSaga } from './saga-order.js';
import { Inventory, Orders, Payments } from './saga-services.js';
// #endregion

/** A payment service that charges, but whose answer to the first call never arrives until `answer()`. */
class SlowPayments extends Payments {
  #calls = 0;
  #answer: (() => void) | undefined;
  readonly firstCall: Promise<void>;
  #firstCallMade!: () => void;

  constructor(limitCents: number) {
    super(limitCents);
    this.firstCall = new Promise((resolve) => (this.#firstCallMade = resolve));
  }

  override async charge(amountCents: number, idempotencyKey: string): Promise<{ paymentId: string }> {
    const result = await super.charge(amountCents, idempotencyKey);
    if (++this.#calls > 1) return result;
    this.#firstCallMade();
    await new Promise<void>((resolve) => (this.#answer = resolve));
    return result;
  }

  answer(): void {
    this.#answer?.();
  }
}

// #region takeover
// Process B runs the same saga definitions on the same database.
export async function resumeElsewhere(url: string, saga: ReturnType<typeof orderSaga>, sagaId: string) {
  const storeB = await EventStore.create(url);
  const b = new SagaCoordinator(storeB, {
    sagas: [saga],
    leaseTtlMs: 300,
    recoverEveryMs: 100, // runs recover() every 100 ms: A's sagas become B's once A's lease expires
  });
  b.on('error', (error) => console.error('saga coordinator:', error.message)); // a failed run or recovery
  const state = await b.waitFor(sagaId, { timeoutMs: 10_000 });
  // The payment step ran again with the same ctx.idempotencyKey, so the customer was charged once.
  return { storeB, b, state };
}
// #endregion

/** `path`: a SQLite file that both "processes" open. */
export async function main(path: string) {
  const url = `sqlite://${path}`;
  const inventory = new Inventory();
  inventory.available.set('book', 5);
  const payments = new SlowPayments(10_000);
  const orders = new Orders();
  const saga = orderSaga(inventory, payments, orders);
  const input = { orderId: 'o-1', items: [{ productId: 'book', quantity: 1 }], amountCents: 1200 };

  // Process A starts the saga. The payment service charges, but A dies before the answer arrives.
  const storeA = await EventStore.create(url);
  const a = new SagaCoordinator(storeA, { sagas: [saga], leaseTtlMs: 300 });
  const sagaId = await a.start('order-processing', input, { sagaId: 'order-o-1-saga' });
  await payments.firstCall;
  await storeA.close(); // stands in for A dying: it writes nothing more and its lease is not renewed

  const { storeB, b, state } = await resumeElsewhere(url, saga, sagaId);

  payments.answer(); // A's late answer: its coordinator can no longer write, and gives up
  await a.stop();
  await b.stop();
  const events = (await storeB.loadEvents(sagaId)).map((event) => event.eventType);
  await storeB.close();
  return {
    status: state.status,
    stepsCompleted: state.stepsCompleted,
    charges: payments.charges.size,
    stock: inventory.available.get('book'),
    order: orders.status.get('o-1'),
    events,
  };
}
