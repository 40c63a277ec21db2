import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Aggregate, defineEvent, EventStore, type EventOf } from '../../src/index.js';

describe('defineEvent rejects schemas JSON cannot store faithfully', () => {
  it.each([
    ['a Map', z.object({ m: z.map(z.string(), z.number()) }), 'z.map()'],
    ['a Set inside an array', z.object({ s: z.array(z.set(z.string())) }), 'z.set()'],
    ['a transform', z.object({ n: z.string().transform((v) => v.length) }), '.transform()'],
    ['a transform behind optional', z.object({ n: z.string().transform(Number).optional() }), '.transform()'],
  ])('%s', (_name, schema, named) => {
    expect(() => defineEvent('Bad', schema)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => defineEvent('Bad', schema)).toThrow(named);
  });

  it('accepts checks that rewrite a value in place (trim, toLowerCase) and recursive schemas', () => {
    interface Tree {
      name: string;
      children: Tree[];
    }
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string().trim().toLowerCase(), children: z.array(tree) }));
    expect(defineEvent('Good', z.object({ tree })).type).toBe('Good');
  });
});

const Counted = defineEvent('SnapshotCounted', z.object({ by: z.number() }));

class Counter extends Aggregate {
  static override readonly aggregateType = 'SnapshotCounter';
  static failRestore = false;
  total = 0;
  count(by: number): void {
    this.apply(Counted.create({ by }));
  }
  applySnapshotCounted(event: EventOf<typeof Counted>): void {
    this.total += event.data.by;
  }
  override restoreSnapshot(state: unknown): void {
    if (Counter.failRestore) throw new Error('state shape changed');
    super.restoreSnapshot(state);
  }
}

describe('a snapshot the class cannot restore', () => {
  it('is ignored with a warning: load replays every event', async () => {
    const warnings: string[] = [];
    const store = await EventStore.create('memory:', { snapshotEvery: 2, onWarning: (message) => warnings.push(message) });
    const counter = new Counter('c-1');
    for (let i = 1; i <= 5; i++) counter.count(i);
    await store.save(counter);
    Counter.failRestore = true;
    try {
      const loaded = await store.load(Counter, 'c-1');
      expect(loaded).toMatchObject({ total: 15, version: 5 });
      expect(warnings.join()).toContain('could not be restored');
    } finally {
      Counter.failRestore = false;
    }
  });
});
