import { ServiceClient, type CallOptions } from '../shared/service-client.js';

export interface ReservationAnswer {
  order_id: string;
  status: string;
  items: { product_id: string; quantity: number }[];
}

/** The order service's view of the inventory service's internal HTTP API (not served through the gateway). */
export class InventoryClient {
  readonly #http: ServiceClient;

  constructor(baseUrl: string, timeoutMs = 5000) {
    this.#http = new ServiceClient('inventory-service', baseUrl, timeoutMs);
  }

  /** Reserves the items for the order; ServiceCallError with status 409 when stock is short. */
  reserve(orderId: string, items: readonly { productId: string; quantity: number }[], options: CallOptions): Promise<ReservationAnswer> {
    const body = { order_id: orderId, items: items.map((i) => ({ product_id: i.productId, quantity: i.quantity })) };
    return this.#http.post('/internal/inventory/reserve', body, options) as Promise<ReservationAnswer>;
  }

  release(orderId: string, options: CallOptions): Promise<ReservationAnswer> {
    return this.#http.post('/internal/inventory/release', { order_id: orderId }, options) as Promise<ReservationAnswer>;
  }

  commit(orderId: string, options: CallOptions): Promise<ReservationAnswer> {
    return this.#http.post('/internal/inventory/commit', { order_id: orderId }, options) as Promise<ReservationAnswer>;
  }
}
