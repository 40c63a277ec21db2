import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDecider, defineEvent, EventStore, InvalidArgumentError, isEventualiError } from '../../src/index.js';
import { deciderScenario } from '../../src/testing.js';

const Added = defineEvent('DecAdded', z.object({ sku: z.string(), quantity: z.number().int().positive() }));
const Confirmed = defineEvent('DecConfirmed', z.object({}));

type State = { confirmed: boolean; items: Record<string, number> };
type Command = { type: 'add'; sku: string; quantity: number } | { type: 'confirm' } | { type: 'look' };

class CartError extends Error {
  readonly code = 'CART_CONFIRMED';
}

const definition = {
  streamType: 'DecCart',
  events: [Added, Confirmed] as const,
  initialState: (): State => ({ confirmed: false, items: {} }),
  evolve: (state: State, event: { eventType: string; data: unknown }): State =>
    event.eventType === 'DecConfirmed'
      ? { ...state, confirmed: true }
      : { ...state, items: { ...state.items, [(event.data as { sku: string }).sku]: (event.data as { quantity: number }).quantity } },
  decide: (command: Command, state: State) => {
    if (state.confirmed) throw new CartError('the cart is confirmed');
    if (command.type === 'add') return Added.create({ sku: command.sku, quantity: command.quantity });
    if (command.type === 'confirm') return [Confirmed.create({})];
    return [];
  },
};
const Cart = defineDecider(definition);

describe('defineDecider', () => {
  it('returns a frozen decider with snapshotVersion 1 by default', () => {
    expect(Object.isFrozen(Cart)).toBe(true);
    expect(Cart.snapshotVersion).toBe(1);
    expect(Cart.events).toEqual([Added, Confirmed]);
    expect(defineDecider({ ...definition, snapshotVersion: 3 }).snapshotVersion).toBe(3);
  });

  it('refuses a malformed definition with INVALID_ARGUMENT', () => {
    const bad: unknown[] = [
      null,
      'cart',
      { ...definition, streamType: '' },
      { ...definition, streamType: 5 },
      { ...definition, events: [] },
      { ...definition, events: 'DecAdded' },
      { ...definition, events: [Added, { type: 'x' }] },
      { ...definition, events: [Added, Added] },
      { ...definition, initialState: {} },
      { ...definition, evolve: undefined },
      { ...definition, decide: 'no' },
      { ...definition, snapshotVersion: 0 },
      { ...definition, snapshotVersion: 1.5 },
    ];
    for (const value of bad) {
      let thrown: unknown;
      try {
        defineDecider(value as typeof definition);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(value)).toBeInstanceOf(InvalidArgumentError);
      expect(isEventualiError(thrown, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('keeps its own copy of the events array', () => {
    const events = [Added, Confirmed];
    const decider = defineDecider({ ...definition, events });
    events.pop();
    expect(decider.events).toHaveLength(2);
  });
});

describe('store.handle() on the memory store', () => {
  it('keeps a failed snapshot a warning: the command still succeeds', async () => {
    const warnings: string[] = [];
    const store = new EventStore(undefined, { snapshotEvery: 1, onWarning: (message) => warnings.push(message) });
    const Cyclic = defineDecider({
      ...definition,
      evolve: (state: State) => {
        const cyclic = { ...state } as State & { self?: unknown };
        cyclic.self = cyclic;
        return cyclic;
      },
    });
    const result = await store.handle(Cyclic, 'c-1', { type: 'add', sku: 'book', quantity: 1 });
    expect(result.version).toBe(1);
    expect(warnings).toEqual(['snapshot of DecCart c-1 at version 1 was not written']);
    await store.close();
  });

  it('checks the merged metadata against the event\'s metadata schema, writing nothing when it fails', async () => {
    const Tagged = defineEvent('DecTagged', z.object({}), { metadata: z.object({ clientId: z.string().optional() }) });
    const Tagging = defineDecider({
      streamType: 'DecTagging',
      events: [Tagged],
      initialState: () => 0,
      evolve: (n: number) => n + 1,
      decide: () => Tagged.create({}),
    });
    const store = new EventStore();
    await expect(store.handle(Tagging, 't-1', null, { metadata: { clientId: 5 } })).rejects.toMatchObject({ code: 'EVENT_VALIDATION' });
    expect(await store.getAggregateVersion('t-1')).toBe(0);
    const ok = await store.handle(Tagging, 't-1', null, { metadata: { clientId: 'web', correlationId: 'c-1' } });
    expect(ok.events[0]!.metadata).toEqual({ clientId: 'web', correlationId: 'c-1' });
    await store.close();
  });

  it('gives decide a fresh initial state for every new stream', async () => {
    const store = new EventStore();
    await store.handle(Cart, 'a', { type: 'add', sku: 'book', quantity: 1 });
    const b = await store.handle(Cart, 'b', { type: 'add', sku: 'pen', quantity: 2 });
    expect(b.state.items).toEqual({ pen: 2 });
    await store.close();
  });
});

describe('deciderScenario', () => {
  const added = Added.create({ sku: 'book', quantity: 1 });

  it('passes when decide returns the expected events, and fails otherwise', () => {
    deciderScenario(Cart).given([]).when({ type: 'add', sku: 'book', quantity: 1 }).then([added]);
    deciderScenario(Cart).given([added]).when({ type: 'confirm' }).then([{ eventType: 'DecConfirmed', data: {} }]);
    deciderScenario(Cart).given([added]).when({ type: 'look' }).then([]);
    expect(() => deciderScenario(Cart).given([added]).when({ type: 'confirm' }).then([])).toThrow(AssertionError);
    expect(() => deciderScenario(Cart).given([]).when({ type: 'add', sku: 'pen', quantity: 1 }).then([added])).toThrow(AssertionError);
    expect(() => deciderScenario(Cart).given([added, Confirmed.create({})]).when({ type: 'look' }).then([])).toThrow(/threw/);
  });

  it('thenThrows matches a class, a code, a predicate or a message pattern', () => {
    const refused = () => deciderScenario(Cart).given([added, Confirmed.create({})]).when({ type: 'look' });
    refused().thenThrows();
    refused().thenThrows(CartError);
    refused().thenThrows(Error);
    refused().thenThrows('CART_CONFIRMED');
    refused().thenThrows((error) => error instanceof CartError && error.message.includes('confirmed'));
    refused().thenThrows(/is confirmed/);
    expect(() => refused().thenThrows(TypeError)).toThrow(AssertionError);
    expect(() => refused().thenThrows('CONCURRENCY_CONFLICT')).toThrow(AssertionError);
    expect(() => refused().thenThrows(() => false)).toThrow(/does not match the predicate/);
    expect(() => deciderScenario(Cart).given([]).when({ type: 'look' }).thenThrows()).toThrow(/returned 0 event/);
  });

  it('reports what decide returned that is not one of its events as the outcome error', () => {
    const Sloppy = defineDecider({ ...definition, decide: () => ({ eventType: 'DecAdded', data: {} }) as never });
    deciderScenario(Sloppy).given([]).when({ type: 'look' }).thenThrows('INVALID_ARGUMENT');
  });

  it('throws for a history the decider does not list, and for an await on when()', async () => {
    const Other = defineEvent('DecOther', z.object({}));
    expect(() => deciderScenario(Cart).given([Other.create({}) as never]).when({ type: 'look' })).toThrow(/does not list DecOther/);
    const outcome = deciderScenario(Cart).given([]).when({ type: 'look' });
    // TypeScript refuses `await outcome` already (its `then` is not a Promise's); at run time it throws.
    await expect(Promise.resolve(outcome as unknown)).rejects.toThrow(/synchronous/);
  });
});
