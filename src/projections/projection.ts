import { InvalidArgumentError } from '../core/errors.js';
import { checkId, type Event, type EventDefinition, type EventOf } from '../core/event.js';
import type { DocumentWriter } from '../store/documents.js';
import type { ProjectionSession, SqlQuery } from '../store/coordination.js';
import type { HandlerContext } from '../streaming/durable/subscription-options.js';

/** What a projection handler gets: the handler context, plus the transaction its checkpoint commits in. */
export interface ProjectionContext extends HandlerContext {
  /** Runs SQL in the transaction that also stores the checkpoint (`?` on SQLite, `$1` on PostgreSQL). */
  query: SqlQuery;
  /** The driver's connection in that transaction (better-sqlite3 Database, pg PoolClient; null on memory). */
  readonly client: unknown;
  /** Read models' document writes in that transaction (what `defineReadModel` projections use). */
  readonly documents: DocumentWriter | undefined;
}

/** What `setup` and `reset` get: the transaction. */
export interface ProjectionSetupContext {
  query: SqlQuery;
  readonly client: unknown;
  readonly documents: DocumentWriter | undefined;
}

export type ProjectionHandler<E extends Event = Event> = (event: E, ctx: ProjectionContext) => unknown;

/** The handlers of a projection over the given event definitions, keyed by event type. */
export type ProjectionHandlers<D extends readonly EventDefinition[]> = {
  [T in D[number]['type']]?: ProjectionHandler<EventOf<Extract<D[number], { type: T }>>>;
};

export interface ProjectionDefinition<D extends readonly EventDefinition[] = readonly EventDefinition[]> {
  /** Names the projection: its checkpoint and lease are stored under it. */
  name: string;
  /** The events it reads (registered with the store it runs on). */
  events: D;
  handlers: NoInfer<ProjectionHandlers<D>>;
  /** Runs in a transaction each time an instance starts (e.g. CREATE TABLE IF NOT EXISTS). */
  setup?: (ctx: ProjectionSetupContext) => unknown;
  /** Runs in the transaction that rewinds the checkpoint in rebuild(): empty the read model. */
  reset?: (ctx: ProjectionSetupContext) => unknown;
}

/** A projection: handlers per event type that keep a read model, run by `store.projection()`. */
export interface Projection {
  readonly name: string;
  readonly definitions: readonly EventDefinition[];
  readonly eventTypes: readonly string[];
  handlerFor(eventType: string): ProjectionHandler | undefined;
  /**
   * Handles a batch of its events at once, in log order, instead of `handlerFor` per event (read
   * models load and write a batch's documents in one go). A failing batch is retried event by
   * event through `handlerFor`.
   */
  handleBatch?(events: readonly Event[], ctx: ProjectionContext): Promise<void>;
  setup(ctx: ProjectionSetupContext): Promise<void>;
  reset(ctx: ProjectionSetupContext): Promise<void>;
}

/**
 * Defines a projection. When its read model lives in the store's database, the handlers' writes
 * (through `ctx.query`) and the checkpoint commit in one transaction: an event is applied once.
 *
 * @example
 * const usersByEmail = defineProjection({
 *   name: 'users-by-email',
 *   events: [UserRegistered],
 *   setup: ({ query }) => query('CREATE TABLE IF NOT EXISTS users_by_email (email TEXT PRIMARY KEY, user_id TEXT)'),
 *   reset: ({ query }) => query('DELETE FROM users_by_email'),
 *   handlers: {
 *     UserRegistered: (event, { query }) =>
 *       query('INSERT INTO users_by_email VALUES (?, ?)', [event.data.email, event.aggregateId]),
 *   },
 * });
 */
export function defineProjection<const D extends readonly EventDefinition[]>(definition: ProjectionDefinition<D>): Projection {
  if (typeof definition !== 'object' || definition === null) throw new InvalidArgumentError('projection', 'must be an object');
  checkId('projection name', definition.name);
  if (!Array.isArray(definition.events) || definition.events.length === 0) {
    throw new InvalidArgumentError('events', `projection ${definition.name} needs at least one event definition`);
  }
  const handlers = new Map<string, ProjectionHandler>();
  const known = new Set(definition.events.map((d) => d.type));
  for (const [type, handler] of Object.entries(definition.handlers ?? {})) {
    if (!known.has(type)) {
      throw new InvalidArgumentError('handlers', `projection ${definition.name} handles ${type}, which is not in its events`);
    }
    if (typeof handler !== 'function') throw new InvalidArgumentError('handlers', `${type} must be a function`);
    handlers.set(type, handler as ProjectionHandler);
  }
  return {
    name: definition.name,
    definitions: [...definition.events],
    eventTypes: [...handlers.keys()],
    handlerFor: (eventType) => handlers.get(eventType),
    setup: async (ctx) => {
      await definition.setup?.(ctx);
    },
    reset: async (ctx) => {
      await definition.reset?.(ctx);
    },
  };
}

/** @internal */
export function setupContext(session: ProjectionSession): ProjectionSetupContext {
  return { query: session.query, client: session.client, documents: session.documents };
}
