// #region imports
import type { ServiceName } from '../shared/config.js';

/** A gateway route: requests under `prefix` go to `service`, with `/api` stripped. */
export interface GatewayRoute {
  prefix: string;
  service: Exclude<ServiceName, 'gateway'>;
}
// #endregion

/** The guide's nginx routing: `/api/users/…` → user service `/users/…`, and so on. */
// #region gateway-routes
export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  { prefix: '/api/users', service: 'user' },
  { prefix: '/api/orders', service: 'order' },
  { prefix: '/api/inventory', service: 'inventory' },
  { prefix: '/api/notifications', service: 'notification' },
];

/**
 * The route for a request URL and the URL to forward (without `/api`), or null when none matches.
 * Dot segments are resolved first (`/api/users/../x` is `/api/x`, also when percent-encoded), and
 * the resolved path is what is forwarded: no URL reaches a service outside its public prefix,
 * such as the `/internal/…` routes services call each other on.
 */
export function routeFor(url: string): { route: GatewayRoute; forwardUrl: string } | null {
  if (!URL.canParse(url, 'http://gateway')) return null;
  const { pathname: path, search } = new URL(url, 'http://gateway');
  for (const route of GATEWAY_ROUTES) {
    if (path === route.prefix || path.startsWith(`${route.prefix}/`)) {
      return { route, forwardUrl: path.slice('/api'.length) + search };
    }
  }
  return null;
}
// #endregion
