import { EventEmitter } from 'eventemitter3';
import { describeValue, InvalidArgumentError, StoreClosedError } from '../../core/errors.js';
import type { Event } from '../../core/event.js';
import { SubscriptionExistsError } from './streamer-errors.js';
import { PublishWaiter, RESOLVED } from './publish-waiter.js';
import { Receiver, type ReceiverHooks, type ReceiverInlet, type SubscriptionStats } from './receiver.js';
import type { OverflowPolicy, StreamedEvent } from './streamed-event.js';
import {
  DEFAULT_STREAM_CAPACITY,
  checkCapacity,
  parseSubscribeOptions,
  type EventStreamerOptions,
  type SubscribeOptions,
} from './streamer-options.js';

/**
 * Counters of a streamer: one entry per live subscription, plus totals. The totals of
 * `delivered`, `dropped` and `discarded` include subscriptions that have since closed.
 *
 * @example
 * const { totals } = streamer.stats();
 * metrics.gauge('stream.dropped', totals.dropped);
 */
export interface StreamerStats {
  readonly subscriptions: readonly SubscriptionStats[];
  readonly totals: {
    /** Live subscriptions. */
    readonly subscriptions: number;
    /** Events passed to `publishEvent()`. */
    readonly published: number;
    readonly buffered: number;
    readonly waiting: number;
    readonly delivered: number;
    readonly dropped: number;
    readonly discarded: number;
  };
}

/**
 * Sent with the `'overflow'` notification: a subscription's overflow policy dropped an event.
 *
 * @example
 * streamer.on('overflow', ({ subscriptionId, policy }) => log.warn(`${subscriptionId} dropped an event (${policy})`));
 */
export interface OverflowNotice {
  readonly subscriptionId: string;
  readonly policy: Exclude<OverflowPolicy, 'wait'>;
  readonly dropped: StreamedEvent;
}

/**
 * The notifications a streamer sends, with their arguments.
 *
 * - `'published'`: after an event was delivered to every matching subscription's buffer (or its
 *   publisher started waiting for room).
 * - `'overflow'`: a subscription dropped an event; sent after the publish that caused it.
 *
 * Listeners run synchronously inside `publishEvent()`; one that throws makes that call reject,
 * although the event was already delivered.
 *
 * @example
 * streamer.on('published', ({ globalPosition }) => metrics.set('stream.position', Number(globalPosition)));
 */
export interface EventStreamerEvents {
  published: [item: StreamedEvent];
  overflow: [notice: OverflowNotice];
}

type Listener<K extends keyof EventStreamerEvents> = (...args: EventStreamerEvents[K]) => void;

/**
 * An in-process fan-out of published events to filtered, bounded subscriptions.
 *
 * The store publishes each committed event here (or you call `publishEvent()` yourself); each
 * subscription is an async iterator with its own buffer. When a buffer is full, the subscription's
 * overflow policy decides: by default (`'wait'`) the publisher's promise waits for room, so an
 * event is never lost and a buffer never exceeds its capacity; `'drop-oldest'` and `'error'` trade
 * completeness for a publisher that never waits on that subscription. Every drop is counted in
 * `stats()` and announced by an `'overflow'` notification.
 *
 * Backpressure only works when publishers await `publishEvent()`. While one subscription with
 * `'wait'` is full, an awaiting publisher waits for it before publishing to anyone else.
 *
 * @example
 * const streamer = new EventStreamer({ capacity: 1000 });
 * const receiver = streamer.subscribe({ id: 'orders', aggregateTypeFilter: 'Order' });
 * void (async () => {
 *   for await (const { event, globalPosition } of receiver) console.log(globalPosition, event.eventType);
 * })();
 * await streamer.publishEvent(event, event.aggregateVersion, event.globalPosition);
 */
export class EventStreamer {
  private readonly defaultCapacity: number;
  private readonly receivers = new Map<string, Receiver>();
  /** Rebuilt on every change, so a publish iterates a snapshot that listeners cannot mutate. */
  private receiverList: readonly Receiver[] = [];
  /** What a publish calls on each receiver, in `receiverList` order. */
  private inletList: readonly ReceiverInlet[] = [];
  private readonly inlets = new Map<Receiver, ReceiverInlet>();
  private readonly streamPositions = new Map<string, number>();
  private readonly emitter = new EventEmitter<EventStreamerEvents>();
  private globalPosition = 0n;
  private publishedCount = 0;
  /** Counters of subscriptions that closed, so the totals stay cumulative. */
  private readonly retired = { delivered: 0, dropped: 0, discarded: 0 };
  /** Drops seen during the current publish, sent as notifications once it has delivered. */
  private notices: OverflowNotice[] | undefined;
  private closed = false;

  private readonly hooks: ReceiverHooks = {
    dropped: (receiver, item, policy) => {
      if (this.emitter.listenerCount('overflow') === 0) return;
      (this.notices ??= []).push({ subscriptionId: receiver.id, policy, dropped: item });
    },
    finished: (receiver) => this.forget(receiver),
  };

  constructor(options: EventStreamerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('options', 'must be an object');
    }
    this.defaultCapacity = checkCapacity(options.capacity ?? DEFAULT_STREAM_CAPACITY);
  }

  /**
   * Opens a subscription. Filters are applied when an event is published, so an event that does
   * not match never takes buffer space. Throws `SubscriptionExistsError` when a live subscription
   * already has this id, `InvalidArgumentError` on bad options, `StoreClosedError` after
   * `close()`.
   *
   * @example
   * const receiver = streamer.subscribe({ id: 'inventory', eventTypeFilter: ['OrderPlaced', 'OrderCancelled'] });
   * for await (const { event } of receiver) await reserveStock(event);
   */
  subscribe(options: SubscribeOptions): Receiver {
    if (this.closed) throw new StoreClosedError('event streamer');
    let inlet: ReceiverInlet | undefined;
    const receiver = new Receiver({ ...parseSubscribeOptions(options, this.defaultCapacity), hooks: this.hooks }, (i) => (inlet = i));
    if (this.receivers.has(options.id)) throw new SubscriptionExistsError(options.id);
    this.receivers.set(options.id, receiver);
    this.inlets.set(receiver, inlet!);
    this.receiverList = [...this.receiverList, receiver];
    this.inletList = [...this.inletList, inlet!];
    return receiver;
  }

  /**
   * Closes and removes a subscription, as `receiver.close()` does: its iteration ends at once and
   * publishers waiting on it are released. Returns false when no live subscription has this id.
   *
   * @example
   * streamer.unsubscribe('inventory');
   */
  unsubscribe(id: string): boolean {
    const receiver = this.receivers.get(id);
    if (receiver === undefined) return false;
    receiver.close();
    return true;
  }

  /**
   * Delivers an event to every subscription whose filters it passes. Resolves at once unless a
   * matching `'wait'` subscription is full; then it resolves when every such subscription has
   * taken the event into its buffer (or closed). Subscriptions with `'drop-oldest'` or `'error'`
   * never make it wait or reject. Rejects with `StoreClosedError` after `close()`.
   *
   * @example
   * for (const event of committed) await streamer.publishEvent(event, event.aggregateVersion, event.globalPosition);
   */
  publishEvent(event: Event, streamPosition: number, globalPosition: bigint): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError('event streamer'));
    const invalid = checkPublishArguments(event, streamPosition, globalPosition);
    if (invalid !== undefined) return Promise.reject(invalid);

    if (globalPosition > this.globalPosition) this.globalPosition = globalPosition;
    this.streamPositions.set(event.aggregateId, streamPosition);
    this.publishedCount++;
    // One item object shared by every subscription: fan-out allocates nothing per receiver.
    const item: StreamedEvent = { event, streamPosition, globalPosition };
    let waiter: PublishWaiter | undefined;
    for (const inlet of this.inletList) {
      if (inlet.matches(event) && !inlet.offer(item)) {
        waiter ??= new PublishWaiter(item);
        inlet.hold(waiter);
      }
    }
    const delivered = waiter === undefined ? RESOLVED : waiter.settled();
    try {
      this.notify(item);
    } catch (error) {
      return Promise.reject(error);
    }
    return delivered;
  }

  /**
   * The highest global position published so far; `0n` before the first event.
   *
   * @example
   * const caughtUp = streamer.getGlobalPosition() >= await store.getGlobalPosition();
   */
  getGlobalPosition(): bigint {
    return this.globalPosition;
  }

  /**
   * The stream position of the last event published for this aggregate, or `undefined` when none
   * was.
   *
   * @example
   * streamer.getStreamPosition(order.id); // e.g. 3
   */
  getStreamPosition(aggregateId: string): number | undefined {
    return this.streamPositions.get(aggregateId);
  }

  /**
   * Counters per live subscription and in total.
   *
   * @example
   * for (const s of streamer.stats().subscriptions) if (s.buffered === s.capacity) log.warn(`${s.id} is full`);
   */
  stats(): StreamerStats {
    const subscriptions = this.receiverList.map((receiver) => receiver.stats());
    let buffered = 0;
    let waiting = 0;
    let { delivered, dropped, discarded } = this.retired;
    for (const s of subscriptions) {
      buffered += s.buffered;
      waiting += s.waiting;
      delivered += s.delivered;
      dropped += s.dropped;
      discarded += s.discarded;
    }
    return {
      subscriptions,
      totals: {
        subscriptions: subscriptions.length,
        published: this.publishedCount,
        buffered,
        waiting,
        delivered,
        dropped,
        discarded,
      },
    };
  }

  /**
   * Listens to a notification (see `EventStreamerEvents`).
   *
   * @example
   * streamer.on('overflow', (notice) => log.warn(notice));
   */
  on<K extends keyof EventStreamerEvents>(event: K, listener: Listener<K>): this {
    this.emitter.on(event, listener);
    return this;
  }

  /**
   * Listens to the next occurrence of a notification only.
   *
   * @example
   * streamer.once('published', () => console.log('first event'));
   */
  once<K extends keyof EventStreamerEvents>(event: K, listener: Listener<K>): this {
    this.emitter.once(event, listener);
    return this;
  }

  /**
   * Removes a listener added with `on()` or `once()`.
   *
   * @example
   * streamer.off('overflow', onOverflow);
   */
  off<K extends keyof EventStreamerEvents>(event: K, listener: Listener<K>): this {
    this.emitter.off(event, listener);
    return this;
  }

  /**
   * Closes every subscription (their iterations end at once, waiting publishers are released);
   * later `subscribe()` throws and `publishEvent()` rejects with `StoreClosedError`. Listeners
   * stay attached. Idempotent.
   *
   * @example
   * process.on('SIGTERM', () => streamer.close());
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const receiver of this.receiverList) receiver.close();
  }

  private notify(item: StreamedEvent): void {
    const notices = this.notices;
    if (notices !== undefined) {
      this.notices = undefined;
      for (const notice of notices) this.emitter.emit('overflow', notice);
    }
    this.emitter.emit('published', item);
  }

  private forget(receiver: Receiver): void {
    if (this.receivers.get(receiver.id) !== receiver) return;
    this.receivers.delete(receiver.id);
    this.receiverList = this.receiverList.filter((r) => r !== receiver);
    const inlet = this.inlets.get(receiver);
    this.inlets.delete(receiver);
    this.inletList = this.inletList.filter((i) => i !== inlet);
    const { delivered, dropped, discarded } = receiver.stats();
    this.retired.delivered += delivered;
    this.retired.dropped += dropped;
    this.retired.discarded += discarded;
  }
}

function checkPublishArguments(event: Event, streamPosition: number, globalPosition: bigint): InvalidArgumentError | undefined {
  if (typeof event !== 'object' || event === null || typeof event.aggregateId !== 'string') {
    return new InvalidArgumentError('event', 'must be an event envelope with an aggregateId');
  }
  if (!Number.isSafeInteger(streamPosition) || streamPosition < 0) {
    return new InvalidArgumentError('streamPosition', `must be a non-negative integer, got ${describeValue(streamPosition)}`);
  }
  if (typeof globalPosition !== 'bigint' || globalPosition < 0n) {
    return new InvalidArgumentError('globalPosition', `must be a non-negative bigint, got ${describeValue(globalPosition)}`);
  }
  return undefined;
}
