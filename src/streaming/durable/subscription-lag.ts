import type { StorageAdapter } from '../../store/adapter.js';
import { partitionOf } from './partition-hash.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';

/** How far a subscription is behind: matching events after its position, and the oldest one's age. */
export interface Lag {
  /** Matching events stored after the position, counting at most `max`. */
  events: number;
  /** Seconds since the oldest of them was stored (0 when caught up). */
  oldestAgeSeconds: number;
}

/**
 * Reads up to `max` matching events after `position` (a consumer group's partition counts only
 * its own) for `lag()` and the lag gauges.
 */
export async function measureLag(adapter: StorageAdapter, options: ResolvedSubscriptionOptions, position: bigint, max: number): Promise<Lag> {
  const records = await adapter.readAll({
    after: position,
    limit: max,
    eventTypes: options.eventTypes,
    aggregateTypes: options.aggregateTypes,
  });
  const slice = options.partition;
  const mine = slice ? records.filter((r) => partitionOf(r.aggregateId, slice.count) === slice.index) : records;
  const oldest = mine[0];
  return { events: mine.length, oldestAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.timestamp.getTime()) / 1000) : 0 };
}
