import type { ContractTestApi } from './test-api.js';
import { ConcurrencyError, MissingEventHandlerError } from '../../core/errors.js';
import { EventStore } from '../../event-store/event-store.js';
import { Account, AccountV2, Deposited, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

export function aggregateCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('saves and loads an aggregate, and saves the same instance again', async () => {
    const { store } = await open();
    const account = new Account(uid());
    expect(account.isNew()).toBe(true);
    account.open('ann');
    account.deposit(10);
    const saved = await store.save(account);
    expect(saved.map((e) => e.aggregateVersion)).toEqual([1, 2]);
    expect(saved.every((e) => e.globalPosition > 0n)).toBe(true);
    expect(account.getUncommittedEvents()).toEqual([]);
    account.deposit(5);
    await store.save(account);
    const loaded = await store.load(Account, account.id);
    expect(loaded).toMatchObject({ owner: 'ann', balance: 15, version: 3 });
    expect(loaded!.getUncommittedEvents()).toEqual([]);
    expect(await store.load(Account, uid())).toBeNull();
  });

  it('throws ConcurrencyError when two copies of an aggregate are saved, keeping the loser unsaved', async () => {
    const { store } = await open();
    const account = new Account(uid());
    account.open('ann');
    await store.save(account);
    const a = (await store.load(Account, account.id))!;
    const b = (await store.load(Account, account.id))!;
    a.deposit(1);
    b.deposit(2);
    await store.save(a);
    await expect(store.save(b)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(b.getUncommittedEvents()).toHaveLength(1);
  });

  it('update() retries the command on a conflict and fails for a missing aggregate', async () => {
    const { store } = await open();
    const account = new Account(uid());
    account.open('ann');
    await store.save(account);
    let runs = 0;
    const updated = await store.update(Account, account.id, async (a) => {
      runs += 1;
      if (runs === 1) await store.update(Account, account.id, (other) => other.deposit(100));
      a.deposit(1);
    });
    expect(runs).toBe(2);
    expect(updated.balance).toBe(101);
    await expect(store.update(Account, uid(), (a) => a.deposit(1))).rejects.toMatchObject({ code: 'AGGREGATE_NOT_FOUND' });
    const conflicts = store.update(
      Account,
      account.id,
      async (a) => {
        await store.update(Account, account.id, (other) => other.deposit(1), { maxRetries: 0 });
        a.deposit(1);
      },
      { maxRetries: 1 },
    );
    await expect(conflicts).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('refuses to load an id that belongs to another aggregate type', async () => {
    const { store } = await open();
    const id = uid();
    await store.append('SomethingElse', id, 0, [Deposited.create({ amount: 1 })]);
    await expect(store.load(Account, id)).rejects.toMatchObject({ code: 'AGGREGATE_TYPE_MISMATCH' });
    await expect(store.append('ContractAccount', id, 1, [Deposited.create({ amount: 1 })])).rejects.toMatchObject({
      code: 'AGGREGATE_TYPE_MISMATCH',
    });
  });

  it('names a missing apply method with MissingEventHandlerError', async () => {
    class Bare extends Account {
      static override readonly aggregateType = 'ContractAccount';
      override applyContractDeposited = undefined as never;
    }
    const account = new Bare(uid());
    account.open('ann');
    expect(() => account.deposit(1)).toThrow(MissingEventHandlerError);
    expect(account.version).toBe(1);
  });

  it('loads from a snapshot, and ignores snapshots of another snapshot version', async () => {
    const { store, adapter } = await open({ snapshotEvery: 3 });
    const account = new Account(uid());
    account.open('ann');
    for (let i = 0; i < 4; i++) account.deposit(1);
    await store.save(account);
    expect(await adapter.loadSnapshot(account.id, 1)).toMatchObject({ aggregateVersion: 5, snapshotVersion: 1 });
    account.deposit(1);
    await store.save(account);
    const snapshot = await adapter.loadSnapshot(account.id, 1);
    expect(snapshot).toMatchObject({ aggregateVersion: 6 });
    // Prove load starts from the snapshot: plant a marked one at a newer version (a store without
    // snapshots wrote event 7), then append event 8 after it.
    const plain = new EventStore(adapter).register(Deposited);
    await plain.append('ContractAccount', account.id, 6, [Deposited.create({ amount: 1 })]);
    await adapter.saveSnapshot({ ...snapshot!, aggregateVersion: 7, state: snapshot!.state.replace('"ann"', '"planted"') });
    await plain.append('ContractAccount', account.id, 7, [Deposited.create({ amount: 1 })]);
    const loaded = await store.load(Account, account.id);
    expect(loaded).toMatchObject({ owner: 'planted', version: 8, balance: 6 });
    expect(loaded!.openedAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
    expect(loaded!.limit).toBe(100n);
    const v2 = await store.load(AccountV2, account.id);
    expect(v2).toMatchObject({ owner: 'ann', version: 8, balance: 7 });
  });

  it('commits every save of a transaction together, or none', async () => {
    const { store } = await open();
    const a = new Account(uid());
    const b = new Account(uid());
    a.open('ann');
    b.open('bo');
    await store.transaction(async (tx) => {
      await tx.save(a);
      await tx.save(b);
      expect((await tx.load(Account, a.id))?.owner).toBe('ann');
    });
    expect(await store.getAggregateVersion(a.id)).toBe(1);
    expect(await store.getAggregateVersion(b.id)).toBe(1);

    a.deposit(1);
    const stale = (await store.load(Account, b.id))!;
    b.deposit(1);
    await store.save(b);
    stale.deposit(2);
    const failed = store.transaction(async (tx) => {
      await tx.save(a);
      await tx.save(stale);
    });
    await expect(failed).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.getAggregateVersion(a.id)).toBe(1);
    expect(a.getUncommittedEvents()).toHaveLength(1);
    const boom = new Error('boom');
    await expect(
      store.transaction(async (tx) => {
        await tx.save(a);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await store.getAggregateVersion(a.id)).toBe(1);
    await store.save(a);
    expect(await store.getAggregateVersion(a.id)).toBe(2);
  });

  it('throws StoreClosedError after close', async () => {
    const { store } = await open();
    await store.close();
    await store.close();
    await expect(store.readAll()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.save(new Account(uid()))).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.load(Account, uid())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
}
