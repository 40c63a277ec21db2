import { describeDurableSubscriptions } from './durable-suite.js';
import { sqliteFileTarget } from './fixtures.js';

describeDurableSubscriptions(sqliteFileTarget);
