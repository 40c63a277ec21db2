import { sqliteFileTarget } from '../streaming/durable/fixtures.js';
import { describeHandlerTelemetry } from './handlers-suite.js';

describeHandlerTelemetry(sqliteFileTarget);
