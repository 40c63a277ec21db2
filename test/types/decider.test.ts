// Type tests: checked by `tsc --noEmit` (test/ is in tsconfig's include); the runtime part is trivial.
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  defineDecider,
  defineEvent,
  EventStore,
  type CommandOf,
  type Event,
  type HandleResult,
  type LoadedState,
  type NewEvent,
  type StateOf,
} from '../../src/index.js';
import { deciderScenario } from '../../src/testing.js';

const ItemAdded = defineEvent('TypesItemAdded', z.object({ sku: z.string(), quantity: z.number().int() }));
const CartConfirmed = defineEvent('TypesCartConfirmed', z.object({ at: z.date() }));
const Unrelated = defineEvent('TypesUnrelated', z.object({ x: z.number() }));

type CartState = { status: 'open' | 'confirmed'; items: Record<string, number> };
type CartCommand = { type: 'add'; sku: string; quantity: number } | { type: 'confirm' };

const Cart = defineDecider({
  streamType: 'TypesCart',
  events: [ItemAdded, CartConfirmed],
  initialState: (): CartState => ({ status: 'open', items: {} }),
  // Literal fields of the state (status) need the return type spelled out: TypeScript widens them otherwise.
  evolve: (state, event): CartState => {
    expectTypeOf(state).toEqualTypeOf<CartState>();
    expectTypeOf(event).toEqualTypeOf<
      Event<'TypesItemAdded', { sku: string; quantity: number }> | Event<'TypesCartConfirmed', { at: Date }>
    >();
    switch (event.eventType) {
      case 'TypesItemAdded':
        expectTypeOf(event.data.quantity).toBeNumber();
        return { ...state, items: { ...state.items, [event.data.sku]: event.data.quantity } };
      case 'TypesCartConfirmed':
        expectTypeOf(event.data.at).toEqualTypeOf<Date>();
        return { ...state, status: 'confirmed' };
    }
  },
  decide: (command: CartCommand, state) => {
    expectTypeOf(state).toEqualTypeOf<CartState>();
    if (command.type === 'add') return ItemAdded.create({ sku: command.sku, quantity: command.quantity });
    return state.status === 'confirmed' ? [] : [CartConfirmed.create({ at: new Date() })];
  },
});

describe('decider types', () => {
  it('infers state, command and event unions', () => {
    expectTypeOf<StateOf<typeof Cart>>().toEqualTypeOf<CartState>();
    expectTypeOf<CommandOf<typeof Cart>>().toEqualTypeOf<CartCommand>();
  });

  it('types handle() and loadState() from the decider', async () => {
    const store = new EventStore();
    const result = await store.handle(Cart, 'c-1', { type: 'add', sku: 'book', quantity: 1 });
    expectTypeOf(result.state).toEqualTypeOf<CartState>();
    expectTypeOf(result.version).toBeNumber();
    expectTypeOf(result.events[0]!.eventType).toEqualTypeOf<'TypesItemAdded' | 'TypesCartConfirmed'>();
    expectTypeOf(result).toExtend<HandleResult<CartState, unknown>>();
    expectTypeOf(await store.loadState(Cart, 'c-1')).toEqualTypeOf<LoadedState<CartState> | null>();
    await store.handle(Cart, 'c-1', { type: 'confirm' }, { expectedVersion: 1, maxRetries: 0, metadata: { userId: 'u' } });
    await store.handle(Cart, 'c-1', { type: 'confirm' }, { expectedVersion: undefined });
    // @ts-expect-error a command the decider does not take
    await store.handle(Cart, 'c-1', { type: 'remove', sku: 'book' }).catch(() => undefined);
    // @ts-expect-error expectedVersion is a number
    await store.handle(Cart, 'c-1', { type: 'confirm' }, { expectedVersion: 'any' }).catch(() => undefined);
    await store.close();
  });

  it('refuses, at compile time, events and handlers the decider does not list', () => {
    defineDecider({
      streamType: 'TypesBad',
      events: [ItemAdded],
      initialState: () => 0,
      evolve: (n) => n + 1,
      // @ts-expect-error decide returns an event the decider does not list
      decide: (_command: 'go') => Unrelated.create({ x: 1 }),
    });
    defineDecider({
      streamType: 'TypesBad',
      events: [ItemAdded],
      initialState: () => 0,
      // @ts-expect-error evolve reads a field the event does not have
      evolve: (n, event) => n + event.data.x,
      decide: () => undefined,
    });
    defineDecider({
      streamType: 'TypesBad',
      events: [ItemAdded],
      initialState: () => 0,
      // @ts-expect-error evolve must return the state type
      evolve: () => 'zero',
      decide: () => [],
    });
  });

  it('types decide results: one event, an array, none', () => {
    type Added = NewEvent<'TypesItemAdded', { sku: string; quantity: number }>;
    type Confirmed = NewEvent<'TypesCartConfirmed', { at: Date }>;
    expectTypeOf(Cart.decide).returns.toEqualTypeOf<Added | Confirmed | readonly (Added | Confirmed)[] | undefined | void>();
  });

  it('types deciderScenario from the decider', () => {
    const spec = deciderScenario(Cart);
    // @ts-expect-error given() takes the decider's events only
    spec.given([Unrelated.create({ x: 1 })]);
    // @ts-expect-error when() takes the decider's commands only
    spec.given([]).when({ type: 'remove' });
    spec.given([ItemAdded.create({ sku: 'a', quantity: 1 })]).when({ type: 'confirm' });
  });
});
