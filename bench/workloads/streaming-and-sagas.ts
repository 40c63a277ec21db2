/**
 * The streaming (issue 3) and saga (issue 4) workloads, in run order. They run on the SQLite FULL
 * and PostgreSQL targets of `ctx.stores` (so run.ts starts PostgreSQL for them).
 */
import { appendWithSubscriber } from './append-with-subscriber.js';
import { catchUp } from './catch-up.js';
import { liveLatency } from './live-latency.js';
import { sagaThroughput } from './saga-throughput.js';
import type { Workload } from './workload.js';

export const STREAMING_AND_SAGA_WORKLOADS: readonly Workload[] = [catchUp, liveLatency, appendWithSubscriber, sagaThroughput];
