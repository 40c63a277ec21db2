/**
 * The microservices example's HTTP workloads (m1, m2), in run order. They run on the SQLite FULL
 * and PostgreSQL targets of `ctx.stores` (so run.ts starts PostgreSQL for them).
 */
import { httpOrders } from './http-orders.js';
import { httpUsers } from './http-users.js';
import type { Workload } from './workload.js';

export const HTTP_SERVICE_WORKLOADS: readonly Workload[] = [httpUsers, httpOrders];
