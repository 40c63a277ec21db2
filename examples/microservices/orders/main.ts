import { runService } from '../shared/run-service.js';
import { createOrderService } from './service.js';

await runService('order', () => createOrderService());
