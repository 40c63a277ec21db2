import { ServiceKit, type RunningService, type ServiceOptions } from '../shared/service-kit.js';
import { INVENTORY_EVENTS } from './events.js';
import { registerInventoryRoutes } from './routes.js';
import { StockKeeper } from './stock-keeper.js';

/** The inventory service: product stock, and reservations that order sagas make, release and commit. */
export async function createInventoryService(options: ServiceOptions = {}): Promise<RunningService> {
  const kit = await ServiceKit.create('inventory-service', INVENTORY_EVENTS, options);
  registerInventoryRoutes(kit.app, new StockKeeper(kit.store));
  await kit.app.ready();
  return kit.running();
}
