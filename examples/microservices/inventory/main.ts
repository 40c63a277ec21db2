import { runService } from '../shared/run-service.js';
import { createInventoryService } from './service.js';

await runService('inventory', () => createInventoryService());
