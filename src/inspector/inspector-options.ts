import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { checkOptionsObject } from '../core/checks.js';
import type { InspectedSubscription } from './inspector-data.js';

/** Options of `createInspector`. */
export interface InspectorOptions {
  /** Allow the write actions (dead-letter replay and discard). Default false: they answer 403. */
  allowWrites?: boolean;
  /**
   * When set, every request needs it: an `Authorization: Bearer <token>` header, or the cookie the
   * inspector sets when a page is first opened with `?token=<token>`. Write actions need it in the
   * POST itself (header or form field), never from the cookie alone.
   */
  token?: string | undefined;
  /**
   * The path the handler is mounted at, e.g. `/inspector`, when the server does not say it
   * (a plain `node:http` server). Express and Fastify's middie report it themselves.
   */
  basePath?: string | undefined;
  /**
   * The durable subscriptions to report on (lag, owner, dead letters): handles running in this
   * process (their dead letters can be replayed from the inspector) or subscription ids.
   */
  subscriptions?: readonly InspectedSubscription[];
}

export interface ResolvedInspectorOptions {
  allowWrites: boolean;
  token: string | undefined;
  basePath: string | undefined;
  subscriptions: readonly InspectedSubscription[];
}

export function resolveInspectorOptions(options: InspectorOptions): ResolvedInspectorOptions {
  checkOptionsObject('createInspector options', options);
  const { allowWrites = false, token, basePath, subscriptions = [] } = options;
  if (typeof allowWrites !== 'boolean') throw new InvalidArgumentError('allowWrites', `must be a boolean, got ${describeValue(allowWrites)}`);
  if (token !== undefined && (typeof token !== 'string' || token.length < 8 || /[\s;,]/.test(token))) {
    throw new InvalidArgumentError('token', 'must be a string of at least 8 characters without spaces, commas or semicolons');
  }
  if (basePath !== undefined && (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._~-]+)*\/?$/.test(basePath))) {
    throw new InvalidArgumentError('basePath', `must be a path like "/inspector", got ${describeValue(basePath)}`);
  }
  if (!Array.isArray(subscriptions)) throw new InvalidArgumentError('subscriptions', 'must be an array of subscriptions or ids');
  return { allowWrites, token, basePath: basePath?.replace(/\/$/, ''), subscriptions };
}
