// #region imports
import { SagaCoordinator } from '../shared/eventuali.js';
import { millisecondsFromEnv, serviceUrlFromEnv } from '../shared/config.js';
import { ServiceKit, type RunningService, type ServiceOptions } from '../shared/service-kit.js';
import { ORDER_EVENTS, OrderPlaced } from './events.js';
import { InventoryClient } from './inventory-client.js';
import { commitStockOfConfirmedOrders } from './inventory-commit.js';
import { SimulatedPaymentGateway, type PaymentGateway } from './payment-gateway.js';
import { registerOrderRoutes } from './routes.js';
import { cancelOrdersOfFailedSagas } from './saga-outcomes.js';
import { ORDER_SAGA, defineOrderSaga, sagaIdFor, sagaInputOf } from './saga.js';
// #endregion

// #region service-head
export interface OrderServiceOptions extends ServiceOptions {
  /** Base URL of the inventory service (default: from the environment). */
  inventoryUrl?: string;
  /** The payment provider (default: the simulated one, configured from the environment). */
  payments?: PaymentGateway;
  /** How often unfinished sagas of dead coordinators are taken over (default: `SAGA_RECOVER_EVERY_MS`, else 10 s). */
  recoverEveryMs?: number;
}

export interface OrderService extends RunningService {
  coordinator: SagaCoordinator;
}

/**
 * The order service: orders on the `Order` aggregate, and the order-processing saga, started from
 * each OrderPlaced event by a durable subscription and run by this service's saga coordinator.
 */
export async function createOrderService(options: OrderServiceOptions = {}): Promise<OrderService> {
  const kit = await ServiceKit.create('order-service', ORDER_EVENTS, options);
  const log = kit.log;
  const inventory = new InventoryClient(options.inventoryUrl ?? serviceUrlFromEnv('inventory'));
  const payments = options.payments ?? SimulatedPaymentGateway.fromEnv(process.env, (message) => log.info(message));
  // #endregion
  // #region saga-coordinator
  // #region coordinator-new
  const coordinator = new SagaCoordinator(kit.store, { sagas: [defineOrderSaga({ store: kit.store, inventory, payments })] });
  // #endregion
  coordinator.on('step', (info) => log.info(info, `saga step ${info.kind}`));
  coordinator.on('completed', (s) => log.info({ saga_id: s.sagaId }, 'saga completed'));
  coordinator.on('compensated', (s) => log.warn({ saga_id: s.sagaId, reason: s.failureReason }, 'saga compensated'));
  coordinator.on('failed', (s) => log.error({ saga_id: s.sagaId, reason: s.failureReason }, 'saga failed'));
  coordinator.on('error', (error, sagaId) => log.error({ err: error, saga_id: sagaId }, 'saga run error'));
  // #endregion

  registerOrderRoutes(kit.app, kit.store, coordinator);
  cancelOrdersOfFailedSagas(kit, coordinator);
  commitStockOfConfirmedOrders(kit, inventory);

  // #region recover
  const recoverEveryMs = options.recoverEveryMs ?? millisecondsFromEnv('SAGA_RECOVER_EVERY_MS', { fallback: 10_000, min: 100 });
  const recover = () =>
    coordinator.recover().then(
      (ids) => ids.length > 0 && log.info({ saga_ids: ids }, 'resumed unfinished sagas'),
      (error: unknown) => log.warn({ err: error }, 'saga recovery failed'),
    );
  const recovering = setInterval(recover, recoverEveryMs);
  recovering.unref();
  kit.onClose(async () => {
    clearInterval(recovering);
    await coordinator.stop();
  });
  // #endregion

  await kit.startSubscriptions();
  // #region saga-starter
  const starter = await coordinator.startOn(
    OrderPlaced,
    (event) => ({ sagaId: sagaIdFor(event.aggregateId), input: sagaInputOf(event) }),
    { subscriptionId: 'order-service.saga-starter', saga: ORDER_SAGA },
  );
  kit.track(starter);
  // #endregion
  // #region service-end
  // #elide … routes, subscriptions, and the first recovery
  await recover();
  // #endelide
  await kit.app.ready();
  return { ...kit.running(), coordinator };
}
// #endregion
