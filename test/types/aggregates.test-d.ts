// Type tests, checked by `npm run typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { Aggregate, defineEvent, type Event, type EventOf, type EventStore } from '../../src/index.js';
import { scenario } from '../../src/testing.js';

const ItemAdded = defineEvent('ItemAdded', z.object({ sku: z.string() }));
const ItemRemoved = defineEvent('ItemRemoved', z.object({ sku: z.string() }));
declare const store: EventStore;

/** Lists its events: its handlers are checked wherever the class is loaded. */
class Cart extends Aggregate {
  static override readonly events = [ItemAdded, ItemRemoved] as const;
  items: string[] = [];
  add(sku: string) {
    this.apply(ItemAdded.create({ sku }));
  }
  applyItemAdded(event: EventOf<typeof ItemAdded>) {
    this.items.push(event.data.sku);
  }
  applyItemRemoved(event: EventOf<typeof ItemRemoved>) {
    this.items = this.items.filter((sku) => sku !== event.data.sku);
  }
}

class TypoCart extends Aggregate {
  static override readonly events = [ItemAdded, ItemRemoved] as const;
  applyItemAded(event: EventOf<typeof ItemAdded>) {
    void event;
  }
  applyItemRemoved(event: EventOf<typeof ItemRemoved>) {
    void event;
  }
}

class WrongEventCart extends Aggregate {
  static override readonly events = [ItemAdded, ItemRemoved] as const;
  applyItemAdded(event: EventOf<typeof ItemRemoved>) {
    void event;
  }
  applyItemRemoved(event: EventOf<typeof ItemRemoved>) {
    void event;
  }
}

class MissingHandlerCart extends Aggregate {
  static override readonly events = [ItemAdded, ItemRemoved] as const;
  applyItemAdded(event: EventOf<typeof ItemAdded>) {
    void event;
  }
}

/** Does not list its events: not checked, as before. */
class LegacyCart extends Aggregate {
  applyItemAded(event: Event) {
    void event;
  }
}

/** A handler typed for any event fits every listed event. */
class LooseCart extends Aggregate {
  static override readonly events = [ItemAdded] as const;
  applyItemAdded(event: Event) {
    void event;
  }
}

export async function checks() {
  expectTypeOf(await store.load(Cart, 'c-1')).toEqualTypeOf<Cart | null>();
  expectTypeOf(await store.update(Cart, 'c-1', (cart) => cart.add('sku-1'))).toEqualTypeOf<Cart>();
  expectTypeOf(scenario(Cart).given(ItemAdded.create({ sku: 'a' }))).not.toBeAny();
  // @ts-expect-error applyItemAded names no event of Cart.events
  await store.load(TypoCart, 'c-1');
  // @ts-expect-error applyItemAded names no event of Cart.events
  await store.update(TypoCart, 'c-1', () => undefined);
  // @ts-expect-error applyItemAded names no event of Cart.events
  scenario(TypoCart);
  // @ts-expect-error applyItemAdded takes ItemRemoved's envelope
  await store.load(WrongEventCart, 'c-1');
  // @ts-expect-error ItemRemoved has no handler
  await store.load(MissingHandlerCart, 'c-1');
  expectTypeOf(await store.load(LegacyCart, 'c-1')).toEqualTypeOf<LegacyCart | null>();
  expectTypeOf(await store.load(LooseCart, 'c-1')).toEqualTypeOf<LooseCart | null>();
}
