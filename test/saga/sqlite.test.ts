import { sqliteFileTarget } from '../streaming/durable/fixtures.js';
import { describeSagas } from './saga-suite.js';

describeSagas(sqliteFileTarget);
