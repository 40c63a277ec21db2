import { MemoryAdapter } from '../../src/index.js';
import * as vitest from 'vitest';
import { describeEventStoreContract } from '../../src/testing.js';

describeEventStoreContract('memory', () => new MemoryAdapter(), vitest);
