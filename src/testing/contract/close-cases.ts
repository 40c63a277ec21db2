import type { ContractTestApi } from './test-api.js';
import { StoreClosedError } from '../../core/errors.js';
import { Account, Deposited, gate, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

/** The outcome of a call, recorded as it settles. */
type Outcome = { ok: true } | { ok: false; error: unknown };

function record(call: Promise<unknown>, settled: Outcome[]): Promise<Outcome> {
  return call.then(
    () => {
      const outcome: Outcome = { ok: true };
      settled.push(outcome);
      return outcome;
    },
    (error: unknown) => {
      const outcome: Outcome = { ok: false, error };
      settled.push(outcome);
      return outcome;
    },
  );
}

export function closeCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('settles every call made before close() before it resolves: stored, or rejected with StoreClosedError', async () => {
    const { store } = await open();
    const accounts = Array.from({ length: 5 }, () => {
      const account = new Account(uid());
      account.open('ann');
      return account;
    });
    const settled: Outcome[] = [];
    const calls = [
      ...accounts.map((account) => record(store.save(account), settled)),
      record(store.append('ContractAccount', uid(), 'no-stream', [Deposited.create({ amount: 1 })]), settled),
      record(store.getGlobalPosition(), settled),
    ];
    await store.close();
    expect(settled).toHaveLength(calls.length);
    const outcomes = await Promise.all(calls);
    for (const outcome of outcomes) {
      if (!outcome.ok) expect(outcome.error).toBeInstanceOf(StoreClosedError);
    }
    // What resolved is durable: a store opened afterwards over the same database holds it.
    if (store.capabilities.persistent) {
      const { store: again } = await open();
      for (const [i, account] of accounts.entries()) {
        expect(await again.getAggregateVersion(account.id)).toBe(outcomes[i]!.ok ? 1 : 0);
      }
    }
  });

  it('close() resolves only after the transaction in flight settled', async () => {
    const { store } = await open();
    const account = new Account(uid());
    account.open('ann');
    const inside = gate();
    const release = gate();
    const order: string[] = [];
    const transaction = store
      .transaction(async (tx) => {
        await tx.save(account);
        inside.open();
        await release.promise;
      })
      .then(
        () => void order.push('transaction committed'),
        (error: unknown) => {
          order.push('transaction rejected');
          expect(error).toBeInstanceOf(StoreClosedError);
        },
      );
    await inside.promise;
    const closing = store.close().then(() => void order.push('closed'));
    await expect(store.load(Account, account.id)).rejects.toBeInstanceOf(StoreClosedError);
    release.open();
    await closing;
    await transaction;
    expect(order.at(-1)).toBe('closed');
    expect(order).toHaveLength(2);
  });

  it('throws StoreClosedError from every call after close(), register() included', async () => {
    const { store } = await open();
    await store.close();
    await store.close();
    expect(() => store.register(Deposited)).toThrow(StoreClosedError);
    await expect(store.append('ContractAccount', uid(), 'any', [Deposited.create({ amount: 1 })])).rejects.toBeInstanceOf(
      StoreClosedError,
    );
    await expect(store.transaction(async () => undefined)).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.getGlobalPosition()).rejects.toBeInstanceOf(StoreClosedError);
  });
}
