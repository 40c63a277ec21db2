// Type tests, checked by `npm run typecheck` (tsc).
import * as v from 'valibot';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { defineSaga, SagaCoordinator, type EventStore } from '../../src/index.js';

declare const store: EventStore;

const orderSaga = defineSaga('order-processing', {
  input: z.object({ orderId: z.string(), amountCents: z.coerce.number() }),
  steps: [
    {
      name: 'reserveInventory',
      execute: async (ctx) => {
        expectTypeOf(ctx.input).toEqualTypeOf<{ orderId: string; amountCents: number }>();
        expectTypeOf(ctx.results).toEqualTypeOf<{}>();
        return { reservationId: `r-${ctx.input.orderId}` };
      },
      compensate: (ctx) => expectTypeOf(ctx.results.reserveInventory.reservationId).toEqualTypeOf<string>(),
    },
    {
      name: 'chargePayment',
      execute: (ctx) => {
        // An earlier step's result, typed by its execute's (awaited) return type.
        expectTypeOf(ctx.results.reserveInventory).toEqualTypeOf<{ reservationId: string }>();
        // @ts-expect-error a step sees only the steps before it
        void ctx.results.confirmOrder;
        return { paymentId: 'p-1', amountCents: ctx.input.amountCents };
      },
    },
    {
      name: 'confirmOrder',
      execute: (ctx) => {
        expectTypeOf(ctx.results.chargePayment.amountCents).toEqualTypeOf<number>();
        expectTypeOf(ctx.results.reserveInventory.reservationId).toEqualTypeOf<string>();
        // @ts-expect-error a typo in a step name
        void ctx.results.chargePaymnt;
      },
    },
  ],
});

const pingSaga = defineSaga('ping', { input: v.object({ host: v.string() }), steps: [{ name: 'ping', execute: (ctx) => ctx.input.host }] });
const untyped = defineSaga('untyped', { steps: [{ name: 'only', execute: () => 1 }] });

const coordinator = new SagaCoordinator(store, { sagas: [orderSaga, pingSaga, untyped] });
// start() takes the saga's name and its schema's input type (z.coerce.number() takes unknown).
void coordinator.start('order-processing', { orderId: 'o-1', amountCents: 3050 });
void coordinator.start('ping', { host: 'example.com' });
void coordinator.start('untyped', 'anything');
// @ts-expect-error no saga of that name
void coordinator.start('order-procesing', { orderId: 'o-1', amountCents: 1 });
// @ts-expect-error orderId is a string
void coordinator.start('order-processing', { orderId: 1, amountCents: 1 });
// @ts-expect-error host is required
void coordinator.start('ping', {});
expectTypeOf(coordinator.start).parameter(0).toEqualTypeOf<'order-processing' | 'ping' | 'untyped'>();

// A coordinator typed without its sagas (a function parameter) takes any name and input.
declare const anyCoordinator: SagaCoordinator;
void anyCoordinator.start('whatever', { any: 'thing' });
const asAny: SagaCoordinator = coordinator;
void asAny;

// A coordinator parameter typed with its sagas keeps the checks.
function startPing(typed: SagaCoordinator<[typeof pingSaga]>) {
  void typed.start('ping', { host: 'example.com' });
  // @ts-expect-error only ping is known to it
  void typed.start('order-processing', { orderId: 'o-1', amountCents: 1 });
}
startPing(new SagaCoordinator(store, { sagas: [pingSaga] }));
