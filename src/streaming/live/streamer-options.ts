import { describeValue, InvalidArgumentError } from '../../core/errors.js';
import { checkId } from '../../core/event.js';
import type { ReceiverConfig } from './receiver.js';
import { OVERFLOW_POLICIES, type OverflowPolicy } from './streamed-event.js';

/**
 * Buffer size of a subscription when neither it nor the streamer names one.
 *
 * @example
 * new EventStreamer({ capacity: DEFAULT_STREAM_CAPACITY * 10 });
 */
export const DEFAULT_STREAM_CAPACITY = 1000;

/**
 * Options of `new EventStreamer()`.
 *
 * @example
 * const streamer = new EventStreamer({ capacity: 10_000 });
 */
export interface EventStreamerOptions {
  /** Default buffer size of each subscription, a positive integer (default 1000). */
  capacity?: number;
}

/**
 * One event or aggregate type, or a list of them; an event passes when its type is listed.
 *
 * @example
 * streamer.subscribe({ id: 'orders', aggregateTypeFilter: ['Order', 'Payment'] });
 */
export type EventFilter = string | readonly string[];

/**
 * Options of `streamer.subscribe()`.
 *
 * @example
 * streamer.subscribe({ id: 'emails', eventTypeFilter: 'UserRegistered', capacity: 100, overflow: 'wait' });
 */
export interface SubscribeOptions {
  /** Unique among the streamer's live subscriptions; a non-empty string. */
  id: string;
  /** Only events of these aggregate types are delivered (default: all). */
  aggregateTypeFilter?: EventFilter;
  /** Only events of these event types are delivered (default: all). */
  eventTypeFilter?: EventFilter;
  /** Buffer size, a positive integer (default: the streamer's `capacity`). */
  capacity?: number;
  /** What happens when an event arrives and the buffer is full (default `'wait'`). */
  overflow?: OverflowPolicy;
}

/** @internal a positive safe integer, else InvalidArgumentError. */
export function checkCapacity(capacity: unknown): number {
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw new InvalidArgumentError('capacity', `must be a positive integer, got ${describeValue(capacity)}`);
  }
  return capacity;
}

function toFilterSet(name: string, filter: EventFilter | undefined): ReadonlySet<string> | undefined {
  if (filter === undefined) return undefined;
  const types: readonly unknown[] = typeof filter === 'string' ? [filter] : filter;
  if (!Array.isArray(types) || types.length === 0) {
    // An empty list would match nothing: almost certainly a bug in the caller, not a wish.
    throw new InvalidArgumentError(name, 'must be a non-empty string or a non-empty array of them');
  }
  for (const type of types) {
    if (typeof type !== 'string' || type.length === 0) {
      throw new InvalidArgumentError(name, `must hold non-empty strings, got ${JSON.stringify(type)}`);
    }
  }
  return new Set(types as readonly string[]);
}

/** @internal validates `subscribe()` options and fills in the defaults. */
export function parseSubscribeOptions(options: SubscribeOptions, defaultCapacity: number): Omit<ReceiverConfig, 'hooks'> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('subscribe options', 'must be an object');
  }
  checkId('subscription id', options.id);
  const overflow = options.overflow ?? 'wait';
  if (!(OVERFLOW_POLICIES as readonly unknown[]).includes(overflow)) {
    throw new InvalidArgumentError('overflow', `must be one of ${OVERFLOW_POLICIES.join(', ')}, got ${describeValue(overflow)}`);
  }
  return {
    id: options.id,
    capacity: options.capacity === undefined ? defaultCapacity : checkCapacity(options.capacity),
    overflow,
    aggregateTypes: toFilterSet('aggregateTypeFilter', options.aggregateTypeFilter),
    eventTypes: toFilterSet('eventTypeFilter', options.eventTypeFilter),
  };
}
