// #region imports
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore, SagaCoordinator } from '../shared/eventuali.js';
import { requestMetadata } from '../shared/correlation.js';
import { NotFoundError } from '../shared/domain-error.js';
import { expectedVersionOf, withEtag } from '../shared/preconditions.js';
import { PriceInput } from '../shared/money.js';
import { Id, IdParams, StorableString, Text, parseInput } from '../shared/validation.js';
import { Order } from './order.js';
import { eventResponse, orderResponse, sagaResponse } from './order-response.js';
import { OrderPlaced } from './events.js';
import { sagaIdFor, startOrderSaga } from './saga.js';
// #endregion

// #region order-body
const PlaceOrderBody = z.object({
  customer_id: Id,
  items: z
    .array(z.object({ product_id: Id.max(100), quantity: z.number().int().min(1).max(10_000), price: PriceInput }))
    .min(1)
    .max(100),
  shipping_address: z
    .record(StorableString().min(1).max(50), StorableString().max(500))
    .refine((address) => Object.keys(address).length <= 20, 'at most 20 fields'),
  payment_method: z.string().regex(/^[a-z0-9_]{1,40}$/, 'must be a payment method name like credit_card').optional(),
});
// #endregion

// #region update-bodies
const ShipBody = z.object({ tracking_number: Text(100), carrier: Text(100) });
const DeliverBody = z.object({ delivered_to: Text(200) });
const CancelBody = z.object({ reason: Text(500), cancelled_by: Text(100).default('customer') });
// #endregion

// #region routes-head
/**
 * `POST /orders` (201; the saga then confirms or cancels the order), `GET /orders/:id`,
 * `GET /orders/:id/saga`, `GET /orders/:id/events`, `POST /orders/:id/ship|deliver|cancel`
 * (`If-Match` → expectedVersion: optional on ship and deliver, required on cancel).
 */
export function registerOrderRoutes(app: FastifyInstance, store: EventStore, coordinator: SagaCoordinator): void {
// #endregion
  // #region place-order
  app.post('/orders', async (request, reply) => {
    const body = parseInput(PlaceOrderBody, request.body, 'body');
    const order = new Order(randomUUID());
    order.place(
      {
        customerId: body.customer_id,
        items: body.items.map((i) => ({ productId: i.product_id, quantity: i.quantity, unitPriceCents: i.price })),
        shippingAddress: body.shipping_address,
        paymentMethod: body.payment_method ?? 'credit_card',
      },
      requestMetadata(request.id),
    );
    const [placed] = await store.save(order);
    request.log.info({ order_id: order.id, saga_id: sagaIdFor(order.id) }, 'order placed');
    // Start the saga now rather than when the saga-starter subscription reads OrderPlaced: orders
    // placed together then start together. The subscription stays the guarantee: it starts any
    // saga this did not (a crash right here, an error), and finds the others already started.
    if (placed && OrderPlaced.is(placed)) {
      await startOrderSaga(coordinator, placed).catch((error: unknown) =>
        request.log.warn({ err: error, order_id: order.id }, 'saga not started yet: the saga-starter subscription will start it'),
      );
    }
    return reply.status(201).send(orderResponse(order));
  });
  // #endregion
// #region routes-end
  // #elide … the other routes

  app.get('/orders/:id', async (request, reply) => {
    const order = await loadOrder(store, parseInput(IdParams, request.params, 'params').id);
    return withEtag(reply, order.version, orderResponse(order));
  });

  app.get('/orders/:id/saga', async (request) => {
    const order = await loadOrder(store, parseInput(IdParams, request.params, 'params').id);
    const sagaId = sagaIdFor(order.id);
    const saga = await coordinator.get(sagaId);
    const [started] = saga ? await store.loadEvents(sagaId, { toVersion: 1 }) : [];
    return sagaResponse(order.id, saga, started?.metadata.correlationId ?? null);
  });

  app.get('/orders/:id/events', async (request) => {
    const order = await loadOrder(store, parseInput(IdParams, request.params, 'params').id);
    return { order_id: order.id, events: (await store.loadEvents(order.id)).map(eventResponse) };
  });

  // #region if-match
  // If-Match → expectedVersion: a client that read the order at version 3 sends `If-Match: W/"3"`;
  // an order that moved since is a ConcurrencyError before the command runs, answered 412 and
  // nothing written. Cancelling refunds the payment, so it requires the header (428 without it);
  // shipping and delivering take it when sent. Every answer carries the order's new ETag.
  app.post('/orders/:id/ship', async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(ShipBody, request.body, 'body');
    const expectedVersion = expectedVersionOf(request, { required: false });
    const order = await store.update(Order, id, (o) => o.ship(body.tracking_number, body.carrier, requestMetadata(request.id)), { expectedVersion });
    return withEtag(reply, order.version, orderResponse(order));
  });

  app.post('/orders/:id/deliver', async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(DeliverBody, request.body, 'body');
    const expectedVersion = expectedVersionOf(request, { required: false });
    const order = await store.update(Order, id, (o) => o.deliver(body.delivered_to, requestMetadata(request.id)), { expectedVersion });
    return withEtag(reply, order.version, orderResponse(order));
  });

  app.post('/orders/:id/cancel', async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const body = parseInput(CancelBody, request.body, 'body');
    const expectedVersion = expectedVersionOf(request, { required: true });
    const order = await store.update(Order, id, (o) => o.cancel(body.reason, body.cancelled_by, requestMetadata(request.id)), { expectedVersion });
    return withEtag(reply, order.version, orderResponse(order));
  });
  // #endregion
  // #endelide
}
// #endregion

async function loadOrder(store: EventStore, id: string): Promise<Order> {
  const order = await store.load(Order, id);
  if (!order) throw new NotFoundError('Order', id);
  return order;
}
