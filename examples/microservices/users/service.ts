import { ServiceKit, type RunningService, type ServiceOptions } from '../shared/service-kit.js';
import { USER_EVENTS } from './events.js';
import { registerUserRoutes } from './routes.js';

/** The user service: registration and account changes, event-sourced on the `User` aggregate. */
export async function createUserService(options: ServiceOptions = {}): Promise<RunningService> {
  const kit = await ServiceKit.create('user-service', USER_EVENTS, options);
  registerUserRoutes(kit.app, kit.store);
  await kit.app.ready();
  return kit.running();
}
