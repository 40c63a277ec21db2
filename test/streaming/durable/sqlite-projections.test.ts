import { sqliteFileTarget } from './fixtures.js';
import { describeProjections } from './projection-suite.js';

describeProjections(sqliteFileTarget);
