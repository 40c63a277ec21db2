import type { Event } from '../../core/event.js';
import { StreamOverflowError } from './streamer-errors.js';
import type { PublishWaiter } from './publish-waiter.js';
import { RingBuffer } from './ring-buffer.js';
import type { OverflowPolicy, StreamedEvent } from './streamed-event.js';

/**
 * Where a subscription is in its life.
 *
 * - `'open'`: receiving events.
 * - `'failed'`: an `overflow: 'error'` subscription overflowed; it still hands out what it had
 *   buffered, then its iterator throws `StreamOverflowError`. Events published meanwhile are
 *   dropped and counted.
 * - `'closed'`: closed, unsubscribed, or the overflow error was delivered; it yields nothing more.
 */
export type ReceiverState = 'open' | 'failed' | 'closed';

/**
 * Counters of one subscription.
 *
 * @example
 * const { buffered, capacity, dropped } = receiver.stats();
 * if (dropped > 0) log.warn(`${receiver.id} lost ${dropped} events`);
 */
export interface SubscriptionStats {
  readonly id: string;
  readonly state: ReceiverState;
  /** Events in the buffer, ready to be read; never more than `capacity`. */
  readonly buffered: number;
  /** Events held by publishers waiting for room (`overflow: 'wait'` only); not in the buffer. */
  readonly waiting: number;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  /** Events the consumer has read. */
  readonly delivered: number;
  /** Events lost to the overflow policy (`'drop-oldest'` or `'error'`). */
  readonly dropped: number;
  /** Events still buffered or waiting when the subscription was closed, thrown away with it. */
  readonly discarded: number;
}

/** What the streamer that owns a receiver calls on it when it publishes; the receiver hands it over when made. */
export interface ReceiverInlet {
  /** Does the event pass this subscription's filters? */
  matches(event: Event): boolean;
  /**
   * Places a published item. Returns false when the item must wait for room (`overflow: 'wait'`
   * and a full buffer); the publisher then calls `hold()`.
   */
  offer(item: StreamedEvent): boolean;
  /** Queues a blocked publish until the buffer has room. */
  hold(waiter: PublishWaiter): void;
}

/** How a receiver reports back to the streamer that owns it. */
export interface ReceiverHooks {
  /** The overflow policy dropped `item`. Called only from within `publishEvent()`. */
  dropped(receiver: Receiver, item: StreamedEvent, policy: Exclude<OverflowPolicy, 'wait'>): void;
  /** The receiver will yield nothing more; the streamer forgets it and frees its id. */
  finished(receiver: Receiver): void;
}

/** The settings a streamer builds a receiver from, already validated. */
export interface ReceiverConfig {
  id: string;
  capacity: number;
  overflow: OverflowPolicy;
  aggregateTypes: ReadonlySet<string> | undefined;
  eventTypes: ReadonlySet<string> | undefined;
  hooks: ReceiverHooks;
}

interface PendingRead {
  resolve(result: IteratorResult<StreamedEvent, undefined>): void;
  reject(error: unknown): void;
}

const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });
const DONE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(DONE_RESULT);

/**
 * One subscription of an `EventStreamer`: an async iterator over the events that matched its
 * filters, backed by a bounded buffer. Made by `streamer.subscribe()`.
 *
 * Closing it (`close()`, `streamer.unsubscribe(id)`, `streamer.close()`, or leaving a
 * `for await` loop early, which calls `return()`) ends the iteration at once: buffered events are
 * discarded and counted in `stats().discarded`, a pending `next()` resolves as done, and
 * publishers waiting for room in it are released.
 *
 * @example
 * const receiver = streamer.subscribe({ id: 'emails', eventTypeFilter: 'UserRegistered' });
 * for await (const { event } of receiver) {
 *   await sendWelcomeEmail(event);
 * }
 */
export class Receiver implements AsyncIterableIterator<StreamedEvent, undefined, undefined> {
  /** The subscription id, unique among the streamer's live subscriptions. */
  readonly id: string;
  /** How many events the buffer holds at most. */
  readonly capacity: number;
  readonly overflow: OverflowPolicy;

  private readonly aggregateTypes: ReadonlySet<string> | undefined;
  private readonly eventTypes: ReadonlySet<string> | undefined;
  private readonly hooks: ReceiverHooks;
  private readonly buffer = new RingBuffer<StreamedEvent>();
  /** Blocked publishes, in publish order; non-empty only while the buffer is full. */
  private readonly held = new RingBuffer<PublishWaiter>(4);
  /** `next()` calls waiting for an event; non-empty only while the buffer is empty. */
  private readonly reads = new RingBuffer<PendingRead>(1);
  private status: ReceiverState = 'open';
  private failure: StreamOverflowError | undefined;
  private deliveredCount = 0;
  private droppedCount = 0;
  private discardedCount = 0;

  /** Made by `streamer.subscribe()`, which `attach` hands the receiver's inlet to. */
  constructor(config: ReceiverConfig, attach: (inlet: ReceiverInlet) => void) {
    this.id = config.id;
    this.capacity = config.capacity;
    this.overflow = config.overflow;
    this.aggregateTypes = config.aggregateTypes;
    this.eventTypes = config.eventTypes;
    this.hooks = config.hooks;
    attach({
      matches: (event) => this.matches(event),
      offer: (item) => this.offer(item),
      hold: (waiter) => this.hold(waiter),
    });
  }

  private matches(event: Event): boolean {
    return (
      (this.aggregateTypes === undefined || this.aggregateTypes.has(event.aggregateType)) &&
      (this.eventTypes === undefined || this.eventTypes.has(event.eventType))
    );
  }

  private offer(item: StreamedEvent): boolean {
    if (this.status !== 'open') {
      // A failed subscription still counts what it misses; a closed one wants nothing.
      if (this.status === 'failed') this.drop(item, 'error');
      return true;
    }
    const read = this.reads.shift();
    if (read !== undefined) {
      this.deliveredCount++;
      read.resolve({ value: item, done: false });
      return true;
    }
    // No need to check `held` here: it is non-empty only while the buffer is full, so an item
    // that fits cannot overtake one a blocked publisher is holding.
    if (this.buffer.size < this.capacity) {
      this.buffer.push(item);
      return true;
    }
    switch (this.overflow) {
      case 'wait':
        return false;
      case 'drop-oldest': {
        const oldest = this.buffer.shift();
        if (oldest !== undefined) this.drop(oldest, 'drop-oldest');
        this.buffer.push(item);
        return true;
      }
      case 'error':
        this.drop(item, 'error');
        this.status = 'failed';
        this.failure = new StreamOverflowError(this.id, this.capacity);
        return true;
    }
  }

  private hold(waiter: PublishWaiter): void {
    waiter.hold();
    this.held.push(waiter);
  }

  /**
   * The next event, waiting for one to be published if the buffer is empty. Resolves
   * `{ done: true }` once the subscription is closed; rejects with `StreamOverflowError` once an
   * `overflow: 'error'` subscription has handed out what it buffered before overflowing.
   *
   * @example
   * const { value, done } = await receiver.next();
   */
  next(): Promise<IteratorResult<StreamedEvent, undefined>> {
    const item = this.buffer.shift();
    if (item !== undefined) {
      this.deliveredCount++;
      // A slot is free: the oldest blocked publish moves in, and its publisher may go on.
      const waiter = this.held.shift();
      if (waiter !== undefined) {
        this.buffer.push(waiter.item);
        waiter.release();
      }
      return Promise.resolve({ value: item, done: false });
    }
    if (this.status === 'open') {
      return new Promise((resolve, reject) => {
        this.reads.push({ resolve, reject });
      });
    }
    if (this.status === 'failed') {
      const failure = this.failure;
      this.finish();
      return Promise.reject(failure);
    }
    return DONE;
  }

  /**
   * Closes the subscription; called by `for await` when the loop is left early.
   *
   * @example
   * for await (const { event } of receiver) {
   *   if (event.eventType === 'Shutdown') break; // calls return(): the subscription closes
   * }
   */
  return(): Promise<IteratorResult<StreamedEvent, undefined>> {
    this.close();
    return DONE;
  }

  /**
   * Ends the subscription now and removes it from its streamer (same as
   * `streamer.unsubscribe(id)`). Buffered events are discarded and counted, pending reads
   * resolve as done, and publishers waiting for room here are released. Idempotent.
   *
   * @example
   * setTimeout(() => receiver.close(), 60_000);
   * for await (const item of receiver) handle(item); // ends when closed
   */
  close(): void {
    if (this.status === 'closed') return;
    this.failure = undefined;
    this.discardedCount += this.buffer.clear();
    this.held.drain((waiter) => {
      this.discardedCount++;
      waiter.release();
    });
    this.reads.drain((read) => read.resolve(DONE_RESULT));
    this.finish();
  }

  /**
   * This subscription's counters. Still readable after it closed.
   *
   * @example
   * console.log(receiver.stats().buffered);
   */
  stats(): SubscriptionStats {
    return {
      id: this.id,
      state: this.status,
      buffered: this.buffer.size,
      waiting: this.held.size,
      capacity: this.capacity,
      overflow: this.overflow,
      delivered: this.deliveredCount,
      dropped: this.droppedCount,
      discarded: this.discardedCount,
    };
  }

  /** A receiver is its own iterator, so it can be iterated once: a second loop continues where the first stopped. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  private drop(item: StreamedEvent, policy: Exclude<OverflowPolicy, 'wait'>): void {
    this.droppedCount++;
    this.hooks.dropped(this, item, policy);
  }

  private finish(): void {
    this.status = 'closed';
    this.failure = undefined;
    this.hooks.finished(this);
  }
}
