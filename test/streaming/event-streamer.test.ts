import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, StoreClosedError, isEventualiError } from '../../src/core/errors.js';
import type { Event } from '../../src/core/event.js';
import {
  EventStreamer,
  StreamOverflowError,
  SubscriptionExistsError,
  type OverflowNotice,
  type Receiver,
  type StreamedEvent,
} from '../../src/streaming/live/index.js';

let sequence = 0;

/** A committed-looking envelope; only the fields the streamer reads matter. */
function makeEvent(overrides: Partial<Event> = {}): Event {
  sequence++;
  return {
    eventId: `event-${sequence}`,
    eventType: 'OrderPlaced',
    aggregateId: 'order-1',
    aggregateType: 'Order',
    aggregateVersion: 1,
    globalPosition: BigInt(sequence),
    timestamp: new Date(0),
    schemaVersion: 1,
    metadata: {},
    data: { n: sequence },
    ...overrides,
  };
}

/** Publishes an event whose `data.n` and positions are `n`, and returns publishEvent's promise. */
function publish(streamer: EventStreamer, n: number, overrides: Partial<Event> = {}): Promise<void> {
  return streamer.publishEvent(makeEvent({ ...overrides, data: { n } }), n, BigInt(n));
}

function numbers(items: readonly StreamedEvent[]): unknown[] {
  return items.map((item) => (item.event.data as { n: number }).n);
}

/** Lets every pending promise callback and I/O turn run, so "still pending" means blocked, not slow. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Records whether a promise has settled, without awaiting it. */
function track(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

async function take(receiver: Receiver, count: number): Promise<StreamedEvent[]> {
  const items: StreamedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const result = await receiver.next();
    if (result.done) break;
    items.push(result.value);
  }
  return items;
}

function statsOf(streamer: EventStreamer, id: string) {
  const stats = streamer.stats().subscriptions.find((s) => s.id === id);
  if (stats === undefined) throw new Error(`no subscription ${id}`);
  return stats;
}

describe('EventStreamer filters', () => {
  it('delivers only events of the subscribed aggregate types', async () => {
    const streamer = new EventStreamer();
    const orders = streamer.subscribe({ id: 'orders', aggregateTypeFilter: 'Order' });
    const both = streamer.subscribe({ id: 'both', aggregateTypeFilter: ['Order', 'User'] });
    await publish(streamer, 1, { aggregateType: 'Order' });
    await publish(streamer, 2, { aggregateType: 'User' });
    await publish(streamer, 3, { aggregateType: 'Payment' });

    expect(statsOf(streamer, 'orders').buffered).toBe(1);
    expect(numbers(await take(orders, 1))).toEqual([1]);
    expect(numbers(await take(both, 2))).toEqual([1, 2]);
    expect(streamer.stats().totals.buffered).toBe(0);
  });

  it('delivers only events of the subscribed event types, and both filters must pass', async () => {
    const streamer = new EventStreamer();
    const placed = streamer.subscribe({ id: 'placed', eventTypeFilter: 'OrderPlaced' });
    const placedUsers = streamer.subscribe({
      id: 'placed-users',
      eventTypeFilter: ['OrderPlaced', 'UserRegistered'],
      aggregateTypeFilter: 'User',
    });
    await publish(streamer, 1, { eventType: 'OrderPlaced', aggregateType: 'Order' });
    await publish(streamer, 2, { eventType: 'OrderShipped', aggregateType: 'Order' });
    await publish(streamer, 3, { eventType: 'UserRegistered', aggregateType: 'User' });
    await publish(streamer, 4, { eventType: 'OrderPlaced', aggregateType: 'User' });

    expect(statsOf(streamer, 'placed').buffered).toBe(2);
    expect(numbers(await take(placed, 2))).toEqual([1, 4]);
    expect(statsOf(streamer, 'placed-users').buffered).toBe(2);
    expect(numbers(await take(placedUsers, 2))).toEqual([3, 4]);
  });

  it('keeps a non-matching event out of a full buffer instead of waiting on it', async () => {
    const streamer = new EventStreamer();
    streamer.subscribe({ id: 'users', aggregateTypeFilter: 'User', capacity: 1 });
    await publish(streamer, 1, { aggregateType: 'User' });
    // The buffer is full, but an Order event is not this subscription's: the publish must not wait.
    await publish(streamer, 2, { aggregateType: 'Order' });
    expect(statsOf(streamer, 'users')).toMatchObject({ buffered: 1, waiting: 0, dropped: 0 });
  });
});

describe('EventStreamer iteration', () => {
  it('yields events in publish order through for await, with their positions', async () => {
    const streamer = new EventStreamer({ capacity: 100 });
    const receiver = streamer.subscribe({ id: 'reader' });
    for (let n = 1; n <= 50; n++) await publish(streamer, n);

    const seen: StreamedEvent[] = [];
    for await (const item of receiver) {
      seen.push(item);
      if (seen.length === 50) break;
    }
    expect(numbers(seen)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen.map((item) => item.streamPosition)).toEqual(numbers(seen));
    expect(seen.map((item) => item.globalPosition)).toEqual(numbers(seen).map((n) => BigInt(n as number)));
  });

  it('resolves a read that waited for an event, and keeps order when the reader is ahead', async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 'eager' });
    const reading = take(receiver, 5);
    await flush();
    for (let n = 1; n <= 5; n++) await publish(streamer, n);
    expect(numbers(await reading)).toEqual([1, 2, 3, 4, 5]);
    expect(statsOf(streamer, 'eager').delivered).toBe(5);
  });

  it('delivers the same event to every matching subscription', async () => {
    const streamer = new EventStreamer();
    const receivers = [1, 2, 3].map((i) => streamer.subscribe({ id: `r${i}` }));
    await publish(streamer, 1);
    await publish(streamer, 2);
    for (const receiver of receivers) expect(numbers(await take(receiver, 2))).toEqual([1, 2]);
    expect(streamer.stats().totals).toMatchObject({ subscriptions: 3, published: 2, delivered: 6, dropped: 0 });
  });
});

describe("EventStreamer backpressure ('wait')", () => {
  it('keeps a publish pending while the buffer is full and resolves it once one item is read', async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 'slow', capacity: 2 });
    await publish(streamer, 1);
    await publish(streamer, 2);

    const third = track(publish(streamer, 3));
    await flush();
    expect(third.settled).toBe(false);
    expect(statsOf(streamer, 'slow')).toMatchObject({ buffered: 2, waiting: 1, dropped: 0 });

    expect(numbers(await take(receiver, 1))).toEqual([1]);
    await flush();
    expect(third.settled).toBe(true);
    expect(statsOf(streamer, 'slow')).toMatchObject({ buffered: 2, waiting: 0 });
    expect(numbers(await take(receiver, 2))).toEqual([2, 3]);
  });

  it('never buffers more than capacity and loses nothing with a slow reader', async () => {
    const capacity = 4;
    const total = 300;
    const streamer = new EventStreamer({ capacity });
    const receiver = streamer.subscribe({ id: 'slow' });
    let maxBuffered = 0;
    const sample = () => {
      maxBuffered = Math.max(maxBuffered, statsOf(streamer, 'slow').buffered);
    };

    const producer = (async () => {
      for (let n = 1; n <= total; n++) {
        await publish(streamer, n);
        sample();
      }
    })();
    const seen: StreamedEvent[] = [];
    for await (const item of receiver) {
      sample();
      seen.push(item);
      // A reader slower than the publisher: a full I/O turn per event.
      await flush();
      if (seen.length === total) break;
    }
    await producer;

    expect(maxBuffered).toBe(capacity);
    expect(numbers(seen)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(streamer.stats().totals).toMatchObject({ dropped: 0, discarded: 0, delivered: total });
  });

  it('keeps publish order when publishers do not await, without overfilling the buffer', async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 'slow', capacity: 2 });
    const publishes = [1, 2, 3, 4, 5].map((n) => publish(streamer, n));
    expect(statsOf(streamer, 'slow')).toMatchObject({ buffered: 2, waiting: 3 });
    // An event published now must queue behind the held ones, not take a freed slot.
    const reading = take(receiver, 6);
    publishes.push(publish(streamer, 6));
    expect(numbers(await reading)).toEqual([1, 2, 3, 4, 5, 6]);
    await Promise.all(publishes);
  });

  it('delivers to other subscriptions at once while one is full, and waits for every full one', async () => {
    const streamer = new EventStreamer();
    const a = streamer.subscribe({ id: 'a', capacity: 1 });
    const b = streamer.subscribe({ id: 'b', capacity: 1 });
    const fast = streamer.subscribe({ id: 'fast', capacity: 10 });
    await publish(streamer, 1);

    const second = track(publish(streamer, 2));
    expect(statsOf(streamer, 'fast').buffered).toBe(2);
    await take(a, 1);
    await flush();
    expect(second.settled).toBe(false);
    await take(b, 1);
    await flush();
    expect(second.settled).toBe(true);
    expect(numbers(await take(fast, 2))).toEqual([1, 2]);
  });
});

describe("EventStreamer overflow 'drop-oldest'", () => {
  it('drops the oldest events, keeps the newest, counts and announces each drop', async () => {
    const streamer = new EventStreamer();
    const notices: OverflowNotice[] = [];
    streamer.on('overflow', (notice) => notices.push(notice));
    const receiver = streamer.subscribe({ id: 'latest', capacity: 3, overflow: 'drop-oldest' });
    for (let n = 1; n <= 5; n++) await publish(streamer, n);

    expect(statsOf(streamer, 'latest')).toMatchObject({ buffered: 3, dropped: 2, waiting: 0 });
    expect(streamer.stats().totals.dropped).toBe(2);
    expect(notices.map((n) => [n.subscriptionId, n.policy])).toEqual([
      ['latest', 'drop-oldest'],
      ['latest', 'drop-oldest'],
    ]);
    expect(numbers(notices.map((n) => n.dropped))).toEqual([1, 2]);
    expect(numbers(await take(receiver, 3))).toEqual([3, 4, 5]);
  });
});

describe("EventStreamer overflow 'error'", () => {
  it('fails only that subscription: it yields what it had, then throws StreamOverflowError', async () => {
    const streamer = new EventStreamer();
    const strict = streamer.subscribe({ id: 'strict', capacity: 2, overflow: 'error' });
    const other = streamer.subscribe({ id: 'other' });
    await publish(streamer, 1);
    await publish(streamer, 2);
    await expect(publish(streamer, 3)).resolves.toBeUndefined();
    await publish(streamer, 4);

    expect(statsOf(streamer, 'strict')).toMatchObject({ state: 'failed', buffered: 2, dropped: 2 });
    const seen: StreamedEvent[] = [];
    const failure = await (async () => {
      try {
        for await (const item of strict) seen.push(item);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(numbers(seen)).toEqual([1, 2]);
    expect(failure).toBeInstanceOf(StreamOverflowError);
    expect(isEventualiError(failure, 'STREAM_OVERFLOW')).toBe(true);
    expect(failure).toMatchObject({ subscriptionId: 'strict', capacity: 2 });

    // Once the error is delivered the subscription is gone, its drops still in the totals.
    expect(streamer.stats().subscriptions.map((s) => s.id)).toEqual(['other']);
    expect(streamer.stats().totals.dropped).toBe(2);
    expect(await strict.next()).toEqual({ value: undefined, done: true });
    expect(numbers(await take(other, 4))).toEqual([1, 2, 3, 4]);
    // The id is free again, so a consumer can resubscribe after resyncing.
    expect(() => streamer.subscribe({ id: 'strict' })).not.toThrow();
  });
});

describe('EventStreamer unsubscribe and close', () => {
  it('ends a waiting for-await loop when unsubscribed', async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 'gone' });
    const seen: StreamedEvent[] = [];
    const loop = (async () => {
      for await (const item of receiver) seen.push(item);
    })();
    await publish(streamer, 1);
    await flush();

    expect(streamer.unsubscribe('gone')).toBe(true);
    await loop;
    expect(numbers(seen)).toEqual([1]);
    expect(streamer.unsubscribe('gone')).toBe(false);
    expect(streamer.stats().totals.subscriptions).toBe(0);
  });

  it('releases a publisher waiting on the subscription and counts what it discards', async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 'full', capacity: 1 });
    await publish(streamer, 1);
    const blocked = track(publish(streamer, 2));
    await flush();
    expect(blocked.settled).toBe(false);

    streamer.unsubscribe('full');
    await flush();
    expect(blocked.settled).toBe(true);
    expect(receiver.stats()).toMatchObject({ state: 'closed', buffered: 0, waiting: 0, discarded: 2 });
    expect(streamer.stats().totals.discarded).toBe(2);
    expect(await receiver.next()).toEqual({ value: undefined, done: true });
  });

  it('closes the subscription from receiver.close() and from leaving a for-await loop', async () => {
    const streamer = new EventStreamer();
    const closed = streamer.subscribe({ id: 'closed', capacity: 1 });
    const broken = streamer.subscribe({ id: 'broken' });
    await publish(streamer, 1);
    const blocked = track(publish(streamer, 2));

    closed.close();
    await flush();
    expect(blocked.settled).toBe(true);
    for await (const item of broken) {
      expect(numbers([item])).toEqual([1]);
      break;
    }
    expect(streamer.stats().subscriptions.map((s) => s.id)).toEqual([]);
    expect(broken.stats()).toMatchObject({ state: 'closed', delivered: 1, discarded: 1 });
    // Both ids are free again.
    streamer.subscribe({ id: 'closed' });
    streamer.subscribe({ id: 'broken' });
  });

  it('closes every subscription on close() and refuses further use', async () => {
    const streamer = new EventStreamer();
    const idle = streamer.subscribe({ id: 'idle', aggregateTypeFilter: 'User' });
    const full = streamer.subscribe({ id: 'full', capacity: 1 });
    const pendingRead = idle.next();
    await publish(streamer, 1);
    const blocked = track(publish(streamer, 2));

    streamer.close();
    expect(await pendingRead).toEqual({ value: undefined, done: true });
    await flush();
    expect(blocked.settled).toBe(true);
    expect(await full.next()).toEqual({ value: undefined, done: true });
    expect(streamer.stats().totals).toMatchObject({ subscriptions: 0, discarded: 2 });
    await expect(publish(streamer, 3)).rejects.toBeInstanceOf(StoreClosedError);
    expect(() => streamer.subscribe({ id: 'late' })).toThrow(StoreClosedError);
    streamer.close();
  });
});

describe('EventStreamer subscription ids', () => {
  it('rejects a duplicate id with a typed error', () => {
    const streamer = new EventStreamer();
    streamer.subscribe({ id: 'projector' });
    expect(() => streamer.subscribe({ id: 'projector' })).toThrow(SubscriptionExistsError);
    try {
      streamer.subscribe({ id: 'projector' });
    } catch (error) {
      expect(isEventualiError(error, 'SUBSCRIPTION')).toBe(true);
      expect(error).toMatchObject({ subscriptionId: 'projector' });
    }
    expect(streamer.stats().totals.subscriptions).toBe(1);
  });

  it('rejects an empty or non-string id', () => {
    const streamer = new EventStreamer();
    expect(() => streamer.subscribe({ id: '' })).toThrow(InvalidArgumentError);
    expect(() => streamer.subscribe({ id: 42 as unknown as string })).toThrow(InvalidArgumentError);
    expect(() => streamer.subscribe({} as { id: string })).toThrow(InvalidArgumentError);
  });
});

describe('EventStreamer positions', () => {
  it('reports the highest global position and the last stream position per aggregate', async () => {
    const streamer = new EventStreamer();
    expect(streamer.getGlobalPosition()).toBe(0n);
    expect(streamer.getStreamPosition('order-1')).toBeUndefined();

    await streamer.publishEvent(makeEvent({ aggregateId: 'order-1' }), 1, 10n);
    await streamer.publishEvent(makeEvent({ aggregateId: 'order-2' }), 1, 11n);
    await streamer.publishEvent(makeEvent({ aggregateId: 'order-1' }), 2, 12n);
    expect(streamer.getGlobalPosition()).toBe(12n);
    expect(streamer.getStreamPosition('order-1')).toBe(2);
    expect(streamer.getStreamPosition('order-2')).toBe(1);
    expect(streamer.getStreamPosition('order-3')).toBeUndefined();

    // PostgreSQL can commit a lower position after a higher one; the reported position never goes back.
    await streamer.publishEvent(makeEvent({ aggregateId: 'order-3' }), 1, 5n);
    expect(streamer.getGlobalPosition()).toBe(12n);
    expect(streamer.getStreamPosition('order-3')).toBe(1);
  });
});

describe('EventStreamer input validation', () => {
  const badCapacities: unknown[] = [0, -1, 1.5, 'x', Number.NaN, Number.POSITIVE_INFINITY];

  it.each(badCapacities)('rejects capacity %s on the streamer and on a subscription', (capacity) => {
    expect(() => new EventStreamer({ capacity: capacity as number })).toThrow(InvalidArgumentError);
    const streamer = new EventStreamer();
    expect(() => streamer.subscribe({ id: 's', capacity: capacity as number })).toThrow(InvalidArgumentError);
    expect(streamer.stats().totals.subscriptions).toBe(0);
  });

  it('rejects an unknown overflow policy and empty filters', () => {
    const streamer = new EventStreamer();
    expect(() => streamer.subscribe({ id: 's', overflow: 'ignore' as 'wait' })).toThrow(InvalidArgumentError);
    expect(() => streamer.subscribe({ id: 's', aggregateTypeFilter: [] })).toThrow(InvalidArgumentError);
    expect(() => streamer.subscribe({ id: 's', eventTypeFilter: '' })).toThrow(InvalidArgumentError);
    expect(() => streamer.subscribe({ id: 's', eventTypeFilter: ['A', 7 as unknown as string] })).toThrow(
      InvalidArgumentError,
    );
  });

  it('rejects (never throws synchronously) a publish with bad positions, and publishes nothing', async () => {
    const streamer = new EventStreamer();
    streamer.subscribe({ id: 's' });
    const event = makeEvent();
    await expect(streamer.publishEvent(event, -1, 1n)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(streamer.publishEvent(event, 1.5, 1n)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(streamer.publishEvent(event, 1, 1 as unknown as bigint)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(streamer.publishEvent(null as unknown as Event, 1, 1n)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(streamer.stats().totals).toMatchObject({ published: 0, buffered: 0 });
    expect(streamer.getGlobalPosition()).toBe(0n);
  });
});

describe('EventStreamer notifications', () => {
  it("sends 'published' after delivery; a throwing listener rejects the publish but the event is delivered", async () => {
    const streamer = new EventStreamer();
    const receiver = streamer.subscribe({ id: 's' });
    const published: bigint[] = [];
    const record = (item: StreamedEvent) => published.push(item.globalPosition);
    streamer.on('published', record);
    await publish(streamer, 1);
    streamer.off('published', record);
    await publish(streamer, 2);
    expect(published).toEqual([1n]);

    const failure = new Error('listener bug');
    streamer.once('published', () => {
      throw failure;
    });
    await expect(publish(streamer, 3)).rejects.toBe(failure);
    await publish(streamer, 4);
    expect(numbers(await take(receiver, 4))).toEqual([1, 2, 3, 4]);
  });
});
