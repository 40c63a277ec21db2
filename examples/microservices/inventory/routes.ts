// #region imports
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '../shared/eventuali.js';
import { requestMetadata } from '../shared/correlation.js';
import { NotFoundError } from '../shared/domain-error.js';
import { Id, Text, parseInput } from '../shared/validation.js';
import { ProductCatalog, type CatalogEntry } from './product-catalog.js';
import type { LoadedProduct, LoadedReservation, StockKeeper } from './stock-keeper.js';
// #endregion

const ProductId = Id.max(100);
const Quantity = z.number().int().min(1).max(1_000_000);

const StockBody = z.object({ product_id: ProductId, name: Text(200), quantity: Quantity });
const ReserveBody = z.object({
  order_id: Id,
  items: z
    .array(z.object({ product_id: ProductId, quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(100),
});
const OrderBody = z.object({ order_id: Id });

// #region list-query
/** `GET /inventory/products?name=…&min_available=…&limit=…&offset=…`: unknown parameters are a 400 too. */
const ProductListQuery = z.strictObject({
  name: Text(200).optional(),
  min_available: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function catalogResponse(entry: CatalogEntry) {
  return { product_id: entry.productId, name: entry.name, available: entry.available, reserved: entry.reserved, committed: entry.committed };
}
// #endregion

export function productResponse({ state, version }: LoadedProduct) {
  return {
    product_id: state.productId,
    name: state.name,
    available: state.available,
    reserved: state.reserved,
    committed: state.committed,
    version,
  };
}

export function reservationResponse({ state, version }: LoadedReservation) {
  return {
    order_id: state.orderId,
    status: state.status,
    items: state.items.map((i) => ({ product_id: i.productId, quantity: i.quantity })),
    version,
  };
}

// #region routes-head
/**
 * `POST /inventory/products`, `GET /inventory/products` (the list, from the ProductCatalog read
 * model: a little behind the writes), `GET /inventory/products/:product_id` (from the events),
 * `GET /inventory/reservations/:order_id`; and for the order service only (the gateway serves
 * `/inventory/…`, never `/internal/…`): `POST /internal/inventory/reserve`, `…/release`, `…/commit`.
 */
export function registerInventoryRoutes(app: FastifyInstance, store: EventStore, keeper: StockKeeper): void {
// #endregion
  app.post('/inventory/products', async (request, reply) => {
    const body = parseInput(StockBody, request.body, 'body');
    const { product, created } = await keeper.stock(body.product_id, body.name, body.quantity, requestMetadata(request.id));
    return reply.status(created ? 201 : 200).send(productResponse(product));
  });

  // #region list-products
  app.get('/inventory/products', async (request) => {
    const query = parseInput(ProductListQuery, request.query, 'query');
    const where = { name: query.name, available: query.min_available === undefined ? undefined : { gte: query.min_available } };
    const catalog = store.documents(ProductCatalog);
    const [products, total] = await Promise.all([
      catalog.find({ where, orderBy: { name: 'asc' }, limit: query.limit, offset: query.offset }),
      catalog.count({ where }),
    ]);
    return { products: products.map(catalogResponse), total, limit: query.limit, offset: query.offset };
  });
  // #endregion
// #region routes-end
  // #elide … the other routes

  app.get('/inventory/products/:product_id', async (request) => {
    const { product_id } = parseInput(z.object({ product_id: ProductId }), request.params, 'params');
    const product = await keeper.product(product_id);
    if (!product) throw new NotFoundError('Product', product_id);
    return productResponse(product);
  });

  app.post('/internal/inventory/reserve', async (request) => {
    const body = parseInput(ReserveBody, request.body, 'body');
    const lines = body.items.map((i) => ({ productId: i.product_id, quantity: i.quantity }));
    const reservation = await keeper.reserve(body.order_id, lines, requestMetadata(request.id));
    request.log.info({ order_id: body.order_id, idempotency_key: request.headers['idempotency-key'] }, 'stock reserved');
    return reservationResponse(reservation);
  });

  app.post('/internal/inventory/release', async (request) => {
    const { order_id } = parseInput(OrderBody, request.body, 'body');
    const reservation = await keeper.release(order_id, requestMetadata(request.id));
    request.log.info({ order_id }, 'stock released');
    return reservationResponse(reservation);
  });

  app.post('/internal/inventory/commit', async (request) => {
    const { order_id } = parseInput(OrderBody, request.body, 'body');
    const reservation = await keeper.commit(order_id, requestMetadata(request.id));
    request.log.info({ order_id }, 'stock committed');
    return reservationResponse(reservation);
  });

  app.get('/inventory/reservations/:order_id', async (request) => {
    const { order_id } = parseInput(OrderBody, request.params, 'params');
    const reservation = await keeper.reservation(order_id);
    if (!reservation) throw new NotFoundError('Reservation for order', order_id);
    return reservationResponse(reservation);
  });
  // #endelide
}
// #endregion
