import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Aggregate,
  aggregateTypeOf,
  defineEvent,
  MissingEventHandlerError,
  type EventOf,
} from '../../src/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const Opened = defineEvent('CounterOpened', z.object({ name: z.string() }));
const Incremented = defineEvent('CounterIncremented', z.object({ by: z.number().int() }));
const Broken = defineEvent('CounterBroken', z.object({}));
const Unhandled = defineEvent('CounterUnhandled', z.object({}));

class Counter extends Aggregate {
  name = '';
  total = 0;
  seen: string[] = [];

  open(name: string): void {
    this.apply(Opened.create({ name }));
  }

  increment(by = 1): void {
    this.apply(Incremented.create({ by }));
  }

  breakIt(): void {
    this.apply(Broken.create({}));
  }

  unhandled(): void {
    this.apply(Unhandled.create({}));
  }

  applyCounterOpened(event: EventOf<typeof Opened>): void {
    this.name = event.data.name;
    this.seen.push(event.eventType);
  }

  applyCounterIncremented(event: EventOf<typeof Incremented>): void {
    this.total += event.data.by;
    this.seen.push(event.eventType);
  }

  applyCounterBroken(): void {
    throw new Error('handler failed');
  }
}

class Named extends Aggregate {
  static override readonly aggregateType = 'Shop.Order';
}

class InheritsName extends Named {}

class Plain extends Aggregate {}

describe('Aggregate ids', () => {
  it('defaults the id to a random UUID', () => {
    const a = new Counter();
    const b = new Counter();
    expect(a.id).toMatch(UUID);
    expect(b.id).toMatch(UUID);
    expect(a.id).not.toBe(b.id);
  });

  it('keeps an explicit id as given', () => {
    expect(new Counter('counter-1').id).toBe('counter-1');
    expect(new Counter('x'.repeat(255)).id).toHaveLength(255);
    expect(new Counter('ünïcødé 🚀').id).toBe('ünïcødé 🚀');
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'x'.repeat(256)],
    ['holding a NUL', 'a\u0000b'],
    ['not a string', 42],
  ])('rejects an id that is %s with INVALID_ARGUMENT', (_label, id) => {
    expect(() => new Counter(id as string)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('Aggregate.apply', () => {
  it('starts new at version 0 with nothing uncommitted', () => {
    const counter = new Counter();
    expect(counter.version).toBe(0);
    expect(counter.isNew()).toBe(true);
    expect(counter.getUncommittedEvents()).toEqual([]);
  });

  it('dispatches each event to apply<EventType> and counts every applied event', () => {
    const counter = new Counter('c-1');
    counter.open('clicks');
    counter.increment(2);
    counter.increment(3);
    expect(counter.name).toBe('clicks');
    expect(counter.total).toBe(5);
    expect(counter.seen).toEqual(['CounterOpened', 'CounterIncremented', 'CounterIncremented']);
    expect(counter.version).toBe(3);
    expect(counter.isNew()).toBe(false);
  });

  it('queues envelopes numbered from 1 with the aggregate id and type, not yet positioned', () => {
    const counter = new Counter('c-2');
    counter.open('x');
    counter.increment(4);
    const events = counter.getUncommittedEvents();
    expect(events.map((e) => [e.eventType, e.aggregateVersion])).toEqual([
      ['CounterOpened', 1],
      ['CounterIncremented', 2],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ aggregateId: 'c-2', aggregateType: 'Counter', globalPosition: 0n, schemaVersion: 1 });
    }
    expect(events[1]?.data).toEqual({ by: 4 });
  });

  it('throws MissingEventHandlerError for an event without a handler, changing nothing', () => {
    const counter = new Counter();
    counter.open('x');
    let error: unknown;
    try {
      counter.unhandled();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingEventHandlerError);
    expect(error).toMatchObject({ code: 'MISSING_EVENT_HANDLER', aggregateType: 'Counter', eventType: 'CounterUnhandled' });
    expect((error as Error).message).toContain('applyCounterUnhandled');
    expect(counter.version).toBe(1);
    expect(counter.getUncommittedEvents()).toHaveLength(1);
    expect(counter.seen).toEqual(['CounterOpened']);
  });

  it('does not treat a non-function property named apply<EventType> as a handler', () => {
    class Tricky extends Aggregate {
      applyCounterOpened = 'not a function';
      open(): void {
        this.apply(Opened.create({ name: 'x' }));
      }
    }
    const tricky = new Tricky();
    expect(() => tricky.open()).toThrow(MissingEventHandlerError);
    expect(tricky.version).toBe(0);
  });

  it('leaves version and uncommitted events unchanged when the handler throws', () => {
    const counter = new Counter();
    counter.increment(1);
    expect(() => counter.breakIt()).toThrow('handler failed');
    expect(counter.version).toBe(1);
    expect(counter.getUncommittedEvents().map((e) => e.eventType)).toEqual(['CounterIncremented']);
    counter.increment(1);
    expect(counter.getUncommittedEvents().map((e) => e.aggregateVersion)).toEqual([1, 2]);
  });
});

describe('Aggregate.markEventsAsCommitted', () => {
  it('forgets the uncommitted events but keeps the version and state', () => {
    const counter = new Counter();
    counter.open('x');
    counter.increment(2);
    counter.markEventsAsCommitted();
    expect(counter.getUncommittedEvents()).toEqual([]);
    expect(counter.version).toBe(2);
    expect(counter.total).toBe(2);
    expect(counter.isNew()).toBe(false);
    counter.increment(1);
    expect(counter.getUncommittedEvents().map((e) => e.aggregateVersion)).toEqual([3]);
  });
});

describe('aggregate types', () => {
  it('defaults to the class name', () => {
    expect(aggregateTypeOf(Counter)).toBe('Counter');
    expect(aggregateTypeOf(Plain)).toBe('Plain');
    expect(new Plain().aggregateType).toBe('Plain');
  });

  it('uses static aggregateType over the class name, also in subclasses', () => {
    expect(aggregateTypeOf(Named)).toBe('Shop.Order');
    expect(new Named().aggregateType).toBe('Shop.Order');
    expect(aggregateTypeOf(InheritsName)).toBe('Shop.Order');
  });

  it('ignores an empty static aggregateType', () => {
    class EmptyType extends Aggregate {
      static override readonly aggregateType = '';
    }
    expect(aggregateTypeOf(EmptyType)).toBe('EmptyType');
  });

  it('stamps the declared aggregate type on applied events', () => {
    class Order extends Aggregate {
      static override readonly aggregateType = 'Shop.Order';
      opened = false;
      open(): void {
        this.apply(Opened.create({ name: 'o' }));
      }
      applyCounterOpened(): void {
        this.opened = true;
      }
    }
    const order = new Order();
    order.open();
    expect(order.getUncommittedEvents()[0]?.aggregateType).toBe('Shop.Order');
  });
});

describe('snapshots of state', () => {
  it('toSnapshot holds the own fields, and restoreSnapshot puts them back', () => {
    const counter = new Counter('c-snap');
    counter.open('snap');
    counter.increment(7);
    const state = counter.toSnapshot();
    expect(state).toEqual({ name: 'snap', total: 7, seen: ['CounterOpened', 'CounterIncremented'] });
    const copy = new Counter('c-snap');
    copy.restoreSnapshot(state);
    expect(copy.name).toBe('snap');
    expect(copy.total).toBe(7);
  });
});
