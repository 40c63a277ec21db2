// docs/testing.md, "Testing sagas": the order saga of saga-order.ts (docs/sagas.md), tested with
// sagaScenario. test/docs/specs.test.ts imports it, so vitest runs these tests.
// #region saga-scenario
import { describe, expect, it } from 'vitest';
import { sagaScenario } from '../../src/testing.js';
import { orderSaga } from './saga-order.js';
import { Inventory, Orders, PaymentDeclined, Payments } from './saga-services.js';

const input = { orderId: 'o-1', items: [{ productId: 'book', quantity: 2 }], amountCents: 3050 };

function services() {
  const inventory = new Inventory();
  inventory.available.set('book', 5);
  return { inventory, saga: orderSaga(inventory, new Payments(10_000), new Orders()) };
}

describe('order saga', () => {
  it('reserves, charges and confirms', async () => {
    const { inventory, saga } = services();
    const outcome = await sagaScenario(saga)
      .withInput(input) // validated by the saga's input schema, as start() does
      .expectCompleted({ results: { payment_processed: { paymentId: 'pay-1' } } });
    outcome.expectCalls(['execute inventory_reserved', 'execute payment_processed', 'execute order_confirmed']);
    expect(inventory.available.get('book')).toBe(3);
  });

  it('releases the stock when the payment is declined, without retrying it', async () => {
    const { inventory, saga } = services();
    const outcome = await sagaScenario(saga)
      .withInput(input)
      .failing('payment_processed', new PaymentDeclined('card declined')) // thrown instead of charging
      .expectCompensated(['inventory_reserved'], { failedStep: 'payment_processed', reason: 'PaymentDeclined: card declined' });
    outcome.expectCalls(['execute inventory_reserved', 'execute payment_processed', 'compensate inventory_reserved']);
    expect(inventory.available.get('book')).toBe(5);
  });

  it('retries a payment that failed once', async () => {
    const { saga } = services();
    const outcome = await sagaScenario(saga)
      .withInput(input)
      .failing('payment_processed', new Error('gateway timeout'), { times: 1 }) // then the real charge runs
      .expectCompleted();
    expect(outcome.calls.filter((call) => call.step === 'payment_processed').map((call) => call.ctx.attempt)).toEqual([1, 2]);
  });

  it('ends failed when a refund keeps failing', async () => {
    const { inventory, saga } = services();
    await sagaScenario(saga)
      .withInput(input)
      .failing('order_confirmed')
      .failingCompensation('payment_processed', new Error('refund refused')) // on every attempt
      .expectFailed({ step: 'payment_processed', reason: /refund refused/ });
    expect(inventory.available.get('book')).toBe(3); // never released: a person must look at it
  });

  it('replaces steps by fakes, which get the context the coordinator builds', async () => {
    const keys: string[] = [];
    await sagaScenario(services().saga)
      .withInput(input)
      .withSagaId('order-o-1-saga')
      .fakeAll() // no step calls a real service…
      .stub('payment_processed', {
        // …except this fake, given the ctx of the real coordinator
        execute: (ctx) => {
          keys.push(ctx.idempotencyKey);
          return { paymentId: 'fake-1' };
        },
      })
      .expectCompleted({ results: { inventory_reserved: null, payment_processed: { paymentId: 'fake-1' } } });
    expect(keys).toEqual(['order-o-1-saga:payment_processed']);
  });
});
// #endregion
