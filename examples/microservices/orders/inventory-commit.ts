// #region imports
import { OrderConfirmed } from './events.js';
import type { InventoryClient } from './inventory-client.js';
import type { ServiceKit } from '../shared/service-kit.js';
// #endregion

/**
 * Tells the inventory service to commit an order's reserved stock (it ships out) once the order is
 * confirmed. A durable subscription: at least once, retried with backoff while the inventory
 * service is away (the call is idempotent per order), then parked as a dead letter and logged.
 */
// #region inventory-commit
export function commitStockOfConfirmedOrders(kit: ServiceKit, inventory: InventoryClient) {
  return kit.subscribe({
    id: 'order-service.inventory-commit',
    eventTypes: [OrderConfirmed],
    retry: { attempts: 10, backoffMs: 200, maxBackoffMs: 5000 },
    handle: async (event) => {
      await inventory.commit(event.aggregateId, {
        correlationId: event.metadata.correlationId ?? event.eventId,
        idempotencyKey: `commit:${event.aggregateId}`,
      });
    },
  });
}
// #endregion
