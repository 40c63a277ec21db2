import type { ContractTestApi } from './test-api.js';
import { ConcurrencyError } from '../../core/errors.js';
import { defineProjection } from '../../projections/projection.js';
import { Account, Deposited, gate, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

export function transactionCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('does not commit a transaction in which an operation failed, even when fn caught the failure', async () => {
    const { store } = await open();
    const a = new Account(uid());
    a.open('ann');
    const b = new Account(uid());
    b.open('bo');
    await store.save(b);
    const stale = (await store.load(Account, b.id))!;
    b.deposit(1);
    await store.save(b);
    stale.deposit(2);
    const c = new Account(uid());
    c.open('cy');
    let caught: unknown;
    let later: unknown;
    const transaction = store.transaction(async (tx) => {
      await tx.save(a);
      caught = await tx.save(stale).catch((error: unknown) => error);
      // Rollback-only from here: later operations fail with the first failure too.
      later = await tx.save(c).catch((error: unknown) => error);
      return 'fn returned';
    });
    await expect(transaction).rejects.toBeInstanceOf(ConcurrencyError);
    expect(caught).toBeInstanceOf(ConcurrencyError);
    await expect(transaction).rejects.toBe(caught);
    expect(later).toBe(caught);
    expect(await store.getAggregateVersion(a.id)).toBe(0);
    expect(await store.getAggregateVersion(c.id)).toBe(0);
    expect(a.getUncommittedEvents()).toHaveLength(1);
    await store.save(a);
    expect(await store.getAggregateVersion(a.id)).toBe(1);
  });

  it('makes every write, transaction() included, wait for the inline projections\u2019 setup', async () => {
    const { store } = await open();
    const ready = gate();
    let setUp = false;
    const projected: number[] = [];
    store.addInlineProjection(
      defineProjection({
        name: `contract-inline-${uid()}`,
        events: [Deposited],
        setup: async () => {
          await ready.promise;
          setUp = true;
        },
        handlers: {
          ContractDeposited: (event) => {
            if (!setUp) throw new Error('the inline projection ran before its setup');
            projected.push(event.data.amount);
          },
        },
      }),
    );
    const account = new Account(uid());
    account.open('ann');
    account.deposit(1);
    const writes = [
      store.save(account),
      store.append('ContractAccount', uid(), 'no-stream', [Deposited.create({ amount: 2 })]),
      store.transaction((tx) => tx.append('ContractAccount', uid(), 'no-stream', [Deposited.create({ amount: 3 })])),
    ];
    ready.open();
    await Promise.all(writes);
    expect(projected.sort()).toEqual([1, 2, 3]);
  });

  it('rejects every write with the error of a failed inline projection setup', async () => {
    const { store } = await open();
    const failure = new Error('setup failed');
    store.addInlineProjection(
      defineProjection({
        name: `contract-inline-${uid()}`,
        events: [Deposited],
        setup: () => Promise.reject(failure),
        handlers: { ContractDeposited: () => undefined },
      }),
    );
    const account = new Account(uid());
    account.open('ann');
    await expect(store.save(account)).rejects.toBe(failure);
    await expect(store.append('ContractAccount', uid(), 'any', [Deposited.create({ amount: 1 })])).rejects.toBe(failure);
    await expect(store.transaction((tx) => tx.save(account))).rejects.toBe(failure);
    expect(account.getUncommittedEvents()).toHaveLength(1);
  });
}
