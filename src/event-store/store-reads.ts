import type { Event } from '../core/event.js';
import { checkId } from '../core/event.js';
import { InvalidArgumentError } from '../core/errors.js';
import { checkOptionsObject, checkPositiveInteger, checkStringList } from '../core/checks.js';
import { MAX_AGGREGATE_VERSION, MAX_GLOBAL_POSITION } from '../core/limits.js';
import type { StoreContext } from './store-operations.js';

export interface ReadAllOptions {
  /** Start after this position (a value this store returned); omitted or `0n` = from the start. */
  fromPosition?: bigint;
  /** At most this many events (default 1000). */
  limit?: number;
  eventTypes?: readonly string[];
  aggregateTypes?: readonly string[];
}

export interface LoadEventsOptions {
  /** Inclusive (default 1). */
  fromVersion?: number;
  /** Inclusive (default: the last). */
  toVersion?: number;
}

const DEFAULT_READ_LIMIT = 1000;

/** One aggregate's events, `fromVersion` to `toVersion`, decoded (`store.loadEvents`). */
export async function loadStreamEvents(ctx: StoreContext, aggregateId: string, options: LoadEventsOptions): Promise<Event[]> {
  checkId('aggregate id', aggregateId);
  checkOptionsObject('loadEvents options', options);
  const fromVersion = options.fromVersion ?? 1;
  checkPositiveInteger('fromVersion', fromVersion, { max: MAX_AGGREGATE_VERSION });
  if (options.toVersion !== undefined) checkPositiveInteger('toVersion', options.toVersion, { max: MAX_AGGREGATE_VERSION });
  const records = await ctx.adapter.readStream(aggregateId, { fromVersion, toVersion: options.toVersion });
  return ctx.registry.decodeAll(records);
}

/** A page of the store-wide log after `fromPosition`, decoded (`store.readAll`). */
export async function readLogEvents(ctx: StoreContext, options: ReadAllOptions): Promise<Event[]> {
  checkOptionsObject('readAll options', options);
  const after = options.fromPosition ?? 0n;
  if (typeof after !== 'bigint' || after < 0n || after > MAX_GLOBAL_POSITION) {
    throw new InvalidArgumentError('fromPosition', `must be a bigint from 0n to ${MAX_GLOBAL_POSITION}n (a position this store returned)`);
  }
  const limit = options.limit ?? DEFAULT_READ_LIMIT;
  checkPositiveInteger('limit', limit);
  checkStringList('eventTypes', options.eventTypes);
  checkStringList('aggregateTypes', options.aggregateTypes);
  const records = await ctx.adapter.readAll({
    after,
    limit,
    eventTypes: options.eventTypes,
    aggregateTypes: options.aggregateTypes,
  });
  return ctx.registry.decodeAll(records);
}
