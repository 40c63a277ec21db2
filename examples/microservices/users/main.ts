import { runService } from '../shared/run-service.js';
import { createUserService } from './service.js';

await runService('user', () => createUserService());
