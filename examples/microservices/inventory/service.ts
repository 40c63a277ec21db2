import { ServiceKit, type RunningService, type ServiceOptions } from '../shared/service-kit.js';
import { INVENTORY_EVENTS } from './events.js';
import { ProductCatalog } from './product-catalog.js';
import { registerInventoryRoutes } from './routes.js';
import { StockKeeper } from './stock-keeper.js';

/**
 * The inventory service: product stock, and reservations that order sagas make, release and
 * commit; the product list served from the ProductCatalog read model.
 */
export async function createInventoryService(options: ServiceOptions = {}): Promise<RunningService> {
  const kit = await ServiceKit.create('inventory-service', INVENTORY_EVENTS, options);
  registerInventoryRoutes(kit.app, kit.store, new StockKeeper(kit.store));
  kit.track(kit.store.projection(ProductCatalog)); // the product list's documents, kept from the events
  await kit.startSubscriptions();
  await kit.app.ready();
  return kit.running();
}
