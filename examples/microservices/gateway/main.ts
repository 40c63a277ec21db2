import { runService } from '../shared/run-service.js';
import { createGateway } from './service.js';

await runService('gateway', () => createGateway());
