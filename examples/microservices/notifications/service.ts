import { ServiceKit, type RunningService, type ServiceOptions } from '../shared/service-kit.js';
import { NOTIFICATION_EVENTS } from './events.js';
import { NOTIFYING_EVENTS } from './messages.js';
import { sendNotifications } from './notifier.js';
import { registerNotificationRoutes } from './routes.js';

/** The notification service: notifications recorded from the other services' events. */
export async function createNotificationService(options: ServiceOptions = {}): Promise<RunningService> {
  const kit = await ServiceKit.create('notification-service', [...NOTIFICATION_EVENTS, ...NOTIFYING_EVENTS], options);
  registerNotificationRoutes(kit.app, kit.store);
  sendNotifications(kit);
  await kit.startSubscriptions();
  await kit.app.ready();
  return kit.running();
}
