import { runService } from '../shared/run-service.js';
import { createNotificationService } from './service.js';

await runService('notification', () => createNotificationService());
