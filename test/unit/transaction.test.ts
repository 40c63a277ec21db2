import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Aggregate, defineEvent, EventStore, type EventOf, type Transaction } from '../../src/index.js';

const Added = defineEvent('TxAdded', z.object({ item: z.string() }));

class Cart extends Aggregate {
  static override readonly aggregateType = 'TxCart';
  items: string[] = [];
  add(item: string): void {
    this.apply(Added.create({ item }));
  }
  applyTxAdded(event: EventOf<typeof Added>): void {
    this.items.push(event.data.item);
  }
}

describe('EventStore.transaction', () => {
  it('resolves with the value of fn', async () => {
    const store = new EventStore();
    await expect(store.transaction(async () => 'done')).resolves.toBe('done');
  });

  it('refuses a transaction handle used after fn has finished', async () => {
    const store = new EventStore();
    let leaked: Transaction | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    const cart = new Cart();
    cart.add('apple');
    await expect(leaked!.save(cart)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'transaction' });
    await expect(leaked!.load(Cart, cart.id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(leaked!.append('TxCart', cart.id, 'no-stream', [Added.create({ item: 'x' })])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(cart.getUncommittedEvents()).toHaveLength(1);
    expect(await store.getGlobalPosition()).toBe(0n);
  });

  it('after a rollback, an aggregate saved twice inside holds all its events again, in order, and saves them later', async () => {
    const store = new EventStore();
    const cart = new Cart('cart-1');
    const boom = new Error('boom');
    await expect(
      store.transaction(async (tx) => {
        cart.add('apple');
        await tx.save(cart);
        expect(cart.getUncommittedEvents()).toHaveLength(0);
        cart.add('pear');
        await tx.save(cart);
        cart.add('plum');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await store.getAggregateVersion('cart-1')).toBe(0);
    expect(cart.version).toBe(3);
    expect(cart.getUncommittedEvents().map((e) => [e.aggregateVersion, e.data])).toEqual([
      [1, { item: 'apple' }],
      [2, { item: 'pear' }],
      [3, { item: 'plum' }],
    ]);
    const saved = await store.save(cart);
    expect(saved.map((e) => e.aggregateVersion)).toEqual([1, 2, 3]);
    expect((await store.load(Cart, 'cart-1'))?.items).toEqual(['apple', 'pear', 'plum']);
  });

  it('returns the stored envelopes of saves made inside', async () => {
    const store = new EventStore();
    const cart = new Cart();
    cart.add('apple');
    const events = await store.transaction(async (tx) => tx.save(cart));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ aggregateId: cart.id, aggregateType: 'TxCart', aggregateVersion: 1 });
    expect(events[0]?.globalPosition).toBeGreaterThan(0n);
    expect(cart.getUncommittedEvents()).toEqual([]);
  });
});
