import { describeValue, InvalidArgumentError } from '../../core/errors.js';
import type { Event, EventDefinition, EventMetadata, EventOf } from '../../core/event.js';
import { checkId } from '../../core/event.js';
import type { Aggregate } from '../../core/aggregate.js';
import { checkTimerMs, MAX_GLOBAL_POSITION } from '../../core/limits.js';
import { checkOptionsObject, checkPositiveInteger } from '../../core/checks.js';
import { DEFAULT_SLOW_HANDLER_MS } from '../../observability/subscription-telemetry.js';
import type { PartitionSlice } from './partition-hash.js';

/** Where a subscription with no stored checkpoint starts. */
export type SubscriptionStart = 'start' | 'end' | bigint;

/** What a handler gets with each event. */
export interface HandlerContext {
  readonly subscriptionId: string;
  /** 1 on the first delivery of this event in this process, 2 on the first retry… */
  readonly attempt: number;
  /** Metadata for events caused by the handled one: its correlation id, and its id as causation id. */
  readonly metadata: EventMetadata;
  /** Saves an aggregate, stamping `metadata` on its new events that carry no correlation id. */
  save(aggregate: Aggregate): Promise<Event[]>;
}

/** After the retries, what a failing event does to the subscription. */
export type OnHandlerError = 'dead-letter' | 'stop';

export interface RetryOptions {
  /** Deliveries before giving up on an event (default 3). */
  attempts?: number;
  /** First backoff; doubles each retry (default 100 ms). */
  backoffMs?: number;
  /** Longest backoff (default 5000 ms). */
  maxBackoffMs?: number;
}

/** The envelope union of some event definitions: `EventOf<A> | EventOf<B>` for `[A, B]`. */
export type EventUnion<D extends readonly EventDefinition[]> = EventOf<D[number]>;

export interface SubscriptionOptions<D extends readonly EventDefinition[] = readonly EventDefinition[]> {
  /** Names the subscription: its checkpoint, lease and dead letters are stored under it. */
  id: string;
  /** Where to begin when no checkpoint is stored (default 'start'). Ignored once one is. */
  from?: SubscriptionStart;
  /**
   * Only these events, by definition (registered with the store): `handle` gets their typed union,
   * `EventOf<A> | EventOf<B>`, instead of `Event`. Give `events` or `eventTypes`, not both.
   */
  events?: D;
  /** Only these event types (names or definitions; a definition is registered with the store). */
  eventTypes?: readonly (string | EventDefinition)[];
  aggregateTypes?: readonly string[];
  /** Events read per query (default 100). The checkpoint is stored at most every 250 ms while events keep coming. */
  batchSize?: number;
  handle: (event: EventUnion<D>, ctx: HandlerContext) => unknown;
  retry?: RetryOptions;
  /** After the retries: park the event in the dead-letter table and go on (default), or stop. */
  onError?: OnHandlerError;
  /** How long an instance holds the subscription without renewing (default 5000 ms). Another instance takes over after it. */
  leaseTtlMs?: number;
  /** Longest wait between polls when idle (default 100 ms); polling backs off to it. */
  pollIntervalMs?: number;
  /**
   * Events of a batch handled at once (default 1: one after the other, in log order). Above 1,
   * handlers of one batch overlap and may finish in any order; the checkpoint still never passes
   * an event that was not handled. For handlers whose events are independent (one saga per event).
   */
  concurrency?: number;
  /**
   * A handler call that takes at least this long is logged at warn ('slow handler', with its
   * duration), when the store has a `logger` (default 1000 ms).
   */
  slowHandlerMs?: number;
  /**
   * Makes the subscription a consumer group of this many partitions (1 to 256): every process
   * that subscribes with this id shares them, each partition (the events whose aggregate id
   * hashes to it) handled by one instance at a time, in order, with its own lease, checkpoint and
   * dead letters. `store.subscribe()` then returns a `ConsumerGroup`. Fixed for the life of the
   * group: see docs/streaming.md, "Consumer groups".
   */
  partitions?: number;
  /**
   * With `partitions`: how many of the partitions it owns this instance handles at the same time
   * (default: all of them). A limit makes each instance's share of the work bounded, so adding
   * instances adds throughput: for handlers that use a resource each process has a fixed amount
   * of (a connection pool, a rate limit, a CPU). Each process may pass its own value.
   */
  partitionConcurrency?: number;
}

/** @internal options with defaults applied */
export interface ResolvedSubscriptionOptions {
  id: string;
  from: SubscriptionStart;
  eventTypes: string[] | undefined;
  definitions: EventDefinition[];
  aggregateTypes: string[] | undefined;
  batchSize: number;
  handle: (event: Event, ctx: HandlerContext) => unknown;
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  onError: OnHandlerError;
  leaseTtlMs: number;
  pollIntervalMs: number;
  concurrency: number;
  slowHandlerMs: number;
  /** A consumer group's partition count. */
  partitions?: number;
  /** How many of its partitions this instance of the group delivers at once (absent: all). */
  partitionConcurrency?: number;
  /** Set on one partition of a consumer group: it delivers only the events of this slice. */
  partition?: PartitionSlice;
}

/** Most partitions a consumer group may have: each is a lease, a checkpoint and a read of the log. */
export const MAX_PARTITIONS = 256;

/** Highest `concurrency`: more handlers at once than this is a mistake, not a setting. */
const MAX_CONCURRENCY = 1000;

export function resolveSubscriptionOptions<D extends readonly EventDefinition[]>(options: SubscriptionOptions<D>): ResolvedSubscriptionOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
  checkId('subscription id', options.id);
  const from = options.from ?? 'start';
  if (from !== 'start' && from !== 'end' && (typeof from !== 'bigint' || from < 0n || from > MAX_GLOBAL_POSITION)) {
    throw new InvalidArgumentError('from', `must be 'start', 'end' or a bigint position from 0 to 2^63-1, got ${describeValue(from)}`);
  }
  if (typeof options.handle !== 'function') throw new InvalidArgumentError('handle', 'must be a function');
  const definitions: EventDefinition[] = [];
  let eventTypes: string[] | undefined;
  if (options.events !== undefined) {
    if (options.eventTypes !== undefined) throw new InvalidArgumentError('events', 'give events or eventTypes, not both');
    if (!Array.isArray(options.events) || options.events.length === 0) {
      throw new InvalidArgumentError('events', 'must be a non-empty array of event definitions');
    }
    eventTypes = options.events.map((entry: unknown) => {
      if (typeof entry === 'object' && entry !== null && typeof (entry as EventDefinition).type === 'string' && typeof (entry as EventDefinition).create === 'function') {
        definitions.push(entry as EventDefinition);
        return (entry as EventDefinition).type;
      }
      throw new InvalidArgumentError('events', `holds ${describeValue(entry)}, not an event definition (defineEvent)`);
    });
  }
  if (options.eventTypes !== undefined) {
    if (!Array.isArray(options.eventTypes) || options.eventTypes.length === 0) {
      throw new InvalidArgumentError('eventTypes', 'must be a non-empty array of event types or definitions');
    }
    eventTypes = options.eventTypes.map((entry) => {
      if (typeof entry === 'string' && entry.length > 0 && !entry.includes('\u0000')) return entry;
      if (typeof entry === 'object' && entry !== null && typeof entry.type === 'string') {
        definitions.push(entry);
        return entry.type;
      }
      throw new InvalidArgumentError('eventTypes', `holds ${describeValue(entry)}, not an event type or definition`);
    });
  }
  let aggregateTypes: string[] | undefined;
  if (options.aggregateTypes !== undefined) {
    if (
      !Array.isArray(options.aggregateTypes) ||
      options.aggregateTypes.length === 0 ||
      options.aggregateTypes.some((t) => typeof t !== 'string' || t.length === 0 || t.includes('\u0000'))
    ) {
      throw new InvalidArgumentError('aggregateTypes', 'must be a non-empty array of aggregate types without NUL characters');
    }
    aggregateTypes = [...options.aggregateTypes];
  }
  const onError = options.onError ?? 'dead-letter';
  if (onError !== 'dead-letter' && onError !== 'stop') {
    throw new InvalidArgumentError('onError', `must be 'dead-letter' or 'stop', got ${describeValue(onError)}`);
  }
  checkOptionsObject('retry', options.retry);
  const resolved: ResolvedSubscriptionOptions = {
    id: options.id,
    from,
    eventTypes,
    definitions,
    aggregateTypes,
    batchSize: options.batchSize ?? 100,
    handle: options.handle as ResolvedSubscriptionOptions['handle'],
    attempts: options.retry?.attempts ?? 3,
    backoffMs: options.retry?.backoffMs ?? 100,
    maxBackoffMs: options.retry?.maxBackoffMs ?? 5000,
    onError,
    leaseTtlMs: options.leaseTtlMs ?? 5000,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    concurrency: options.concurrency ?? 1,
    slowHandlerMs: options.slowHandlerMs ?? DEFAULT_SLOW_HANDLER_MS,
  };
  checkPositiveInteger('batchSize', resolved.batchSize);
  checkPositiveInteger('concurrency', resolved.concurrency, { max: MAX_CONCURRENCY });
  if (options.partitions !== undefined) {
    checkPositiveInteger('partitions', options.partitions, { max: MAX_PARTITIONS });
    if (resolved.concurrency !== 1) {
      throw new InvalidArgumentError('concurrency', 'a consumer group handles each partition in log order: raise partitions instead');
    }
    resolved.partitions = options.partitions;
    if (options.partitionConcurrency !== undefined) {
      checkPositiveInteger('partitionConcurrency', options.partitionConcurrency, { max: MAX_PARTITIONS });
      resolved.partitionConcurrency = options.partitionConcurrency;
    }
  } else if (options.partitionConcurrency !== undefined) {
    throw new InvalidArgumentError('partitionConcurrency', 'applies to a consumer group only: give partitions too');
  }
  checkPositiveInteger('retry.attempts', resolved.attempts);
  // Node.js fires a timer longer than 2^31-1 ms after 1 ms: a longer delay would spin, not wait.
  checkTimerMs('retry.backoffMs', resolved.backoffMs, 0);
  checkTimerMs('retry.maxBackoffMs', resolved.maxBackoffMs, 0);
  checkTimerMs('leaseTtlMs', resolved.leaseTtlMs, 100);
  checkTimerMs('pollIntervalMs', resolved.pollIntervalMs, 1);
  checkTimerMs('slowHandlerMs', resolved.slowHandlerMs, 0);
  return resolved;
}
