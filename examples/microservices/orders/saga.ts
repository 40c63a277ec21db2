// #region imports
import { z } from 'zod';
import { defineSaga, type EventMetadata, type EventOf, type EventStore, type SagaCoordinator, type StepContext } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
import { Cents, formatCents } from '../shared/money.js';
import type { OrderPlaced } from './events.js';
import type { InventoryClient } from './inventory-client.js';
import { Order } from './order.js';
import { PaymentDeclinedError, type PaymentGateway } from './payment-gateway.js';
// #endregion

// #region saga-head
export const ORDER_SAGA = 'order-processing';

/** The guide's saga id convention. */
export const sagaIdFor = (orderId: string): string => `order-${orderId}-saga`;

// #elide … orderIdOfSaga() and ORDER_SAGA_STEPS
/** The order of an order saga's id, or null for another saga. */
export function orderIdOfSaga(sagaId: string): string | null {
  return /^order-(.+)-saga$/.exec(sagaId)?.[1] ?? null;
}

/** The guide's step names, as `GET /orders/:id/saga` reports them. */
export const ORDER_SAGA_STEPS = ['inventory_reserved', 'payment_processed', 'order_confirmed'] as const;

// #endelide
/** How long after confirmation an order is expected to arrive. */
const DELIVERY_DAYS = 5;

export const OrderSagaInput = z.object({
  orderId: z.string(),
  customerId: z.string(),
  items: z.array(z.object({ productId: z.string(), quantity: z.number().int().positive() })).min(1),
  amountCents: Cents,
  paymentMethod: z.string(),
});
export type OrderSagaInput = z.infer<typeof OrderSagaInput>;

/** The saga's input, from the event that starts it. */
export function sagaInputOf(event: EventOf<typeof OrderPlaced>): OrderSagaInput {
  return {
    orderId: event.aggregateId,
    customerId: event.data.customerId,
    items: event.data.items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
    amountCents: event.data.totalAmountCents,
    paymentMethod: event.data.paymentMethod,
  };
}
// #endregion

/**
 * Starts the saga of a placed order, as the `order-service.saga-starter` subscription does: the
 * guide's saga id, the correlation id of the request that placed the order, the event as cause.
 * Starting an id that is already started does nothing, so both may try.
 */
// #region start-order-saga
export function startOrderSaga(coordinator: SagaCoordinator, event: EventOf<typeof OrderPlaced>): Promise<string> {
  const correlationId = event.metadata.correlationId ?? event.eventId;
  return coordinator.start(ORDER_SAGA, sagaInputOf(event), { sagaId: sagaIdFor(event.aggregateId), correlationId, causationId: event.eventId });
}
// #endregion

// #region saga-deps
export interface OrderSagaDependencies {
  store: EventStore;
  inventory: InventoryClient;
  payments: PaymentGateway;
}

type Ctx = StepContext<OrderSagaInput>;

/** Events a step writes carry the saga's correlation id (the request that placed the order). */
const stepMetadata = (ctx: Ctx): EventMetadata => ({ correlationId: ctx.correlationId, sagaId: ctx.sagaId });

const callOptions = (ctx: Ctx) => ({ correlationId: ctx.correlationId, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal });
// #endregion

/**
 * The order-processing saga: reserve inventory → process payment → confirm the order. When a
 * step fails, the completed ones are compensated in reverse: the payment refunded, the stock
 * released. The order itself is then cancelled by the saga-outcome subscription (see
 * saga-outcomes.ts), which also covers a saga that failed at its first step.
 */
// #region order-saga
export function defineOrderSaga(deps: OrderSagaDependencies) {
  return defineSaga(ORDER_SAGA, {
    input: OrderSagaInput,
    steps: [
      {
        name: 'inventory_reserved',
        // Idempotent per order id, so retrying a call that failed or timed out is safe. A refusal
        // (409 short of stock, 404 unknown product) is final: ServiceCallError is not retryable then.
        retry: { attempts: 3, backoffMs: 200 },
        timeoutMs: 10_000,
        execute: async (ctx: Ctx) => {
          const reservation = await deps.inventory.reserve(ctx.input.orderId, ctx.input.items, callOptions(ctx));
          return { reservation_status: reservation.status };
        },
        compensate: async (ctx: Ctx) => {
          await deps.inventory.release(ctx.input.orderId, callOptions(ctx));
        },
      },
      {
        name: 'payment_processed',
        timeoutMs: 10_000,
        execute: (ctx: Ctx) => takePayment(deps, ctx),
        compensate: (ctx: Ctx) => refundPayment(deps, ctx),
      },
      {
        name: 'order_confirmed',
        execute: (ctx: Ctx) => confirmOrder(deps, ctx),
      },
    ],
    compensationRetry: { attempts: 5, backoffMs: 200 },
  });
}
// #endregion

// #region saga-steps
async function takePayment(deps: OrderSagaDependencies, ctx: Ctx): Promise<{ payment_id: string; amount: string }> {
  const { orderId, customerId, amountCents, paymentMethod } = ctx.input;
  const order = await deps.store.load(Order, orderId);
  if (!order) throw new DomainRuleError(`Order ${orderId} does not exist`);
  // Run again after a crash between the charge and the saga's record of it: already done.
  if (order.paymentStatus === 'processed' && order.paymentId) return { payment_id: order.paymentId, amount: formatCents(amountCents) };
  if (order.status !== 'placed') throw new DomainRuleError(`Order ${orderId} is ${order.status}: not charging it`);
  let paymentId: string;
  try {
    ({ paymentId } = await deps.payments.charge({ orderId, customerId, amountCents, paymentMethod, idempotencyKey: ctx.idempotencyKey }));
  } catch (error) {
    if (error instanceof PaymentDeclinedError) {
      await deps.store.update(Order, orderId, (o) => o.processPayment(error.paymentId, paymentMethod, 'failed', stepMetadata(ctx)));
    }
    throw error;
  }
  try {
    await deps.store.update(Order, orderId, (o) => o.processPayment(paymentId, paymentMethod, 'success', stepMetadata(ctx)));
  } catch (error) {
    // The order moved on (cancelled) while it was being charged: give the money back.
    await deps.payments.refund({ paymentId, amountCents, idempotencyKey: `${ctx.idempotencyKey}:undo` });
    throw error;
  }
  return { payment_id: paymentId, amount: formatCents(amountCents) };
}

async function refundPayment(deps: OrderSagaDependencies, ctx: Ctx): Promise<void> {
  const result = ctx.results['payment_processed'] as { payment_id?: unknown } | undefined;
  if (typeof result?.payment_id !== 'string') return;
  await deps.payments.refund({ paymentId: result.payment_id, amountCents: ctx.input.amountCents, idempotencyKey: ctx.idempotencyKey });
}

async function confirmOrder(deps: OrderSagaDependencies, ctx: Ctx): Promise<{ estimated_delivery: string }> {
  const estimatedDelivery = new Date(Date.now() + DELIVERY_DAYS * 24 * 60 * 60 * 1000);
  const order = await deps.store.update(Order, ctx.input.orderId, (o) => {
    if (o.status === 'confirmed') return; // run again after a crash: already done
    o.confirm(ORDER_SAGA, estimatedDelivery, stepMetadata(ctx));
  });
  return { estimated_delivery: (order.estimatedDelivery ?? estimatedDelivery).toISOString() };
}
// #endregion
