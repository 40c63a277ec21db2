import type { ContractTestApi } from './test-api.js';
import { ConcurrencyError } from '../../core/errors.js';
import { Account, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

export function commandOptionCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('update() with createIfMissing runs the command on a new instance when the aggregate has no events', async () => {
    const { store } = await open();
    const id = uid();
    await expect(store.update(Account, id, (a) => a.open('ann'))).rejects.toMatchObject({ code: 'AGGREGATE_NOT_FOUND' });
    const created = await store.update(Account, id, (a) => a.open('ann'), { createIfMissing: true });
    expect(created).toMatchObject({ id, version: 1, owner: 'ann' });
    const again = await store.update(Account, id, (a) => a.deposit(2), { createIfMissing: true });
    expect(again).toMatchObject({ version: 2, balance: 2 });
    expect(await store.getAggregateVersion(id)).toBe(2);
  });

  it('update() with expectedVersion: another stored version is a ConcurrencyError before the command runs, and a conflict is not retried', async () => {
    const { store } = await open();
    const id = uid();
    await store.update(Account, id, (a) => a.open('ann'), { createIfMissing: true, expectedVersion: 0 });
    let runs = 0;
    const stale = store.update(Account, id, (a) => (runs++, a.deposit(1)), { expectedVersion: 0 });
    await expect(stale).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', aggregateId: id, expectedVersion: 0, actualVersion: 1 });
    expect(runs).toBe(0);
    const updated = await store.update(Account, id, (a) => a.deposit(1), { expectedVersion: 1 });
    expect(updated.version).toBe(2);
    const raced = store.update(
      Account,
      id,
      async (a) => {
        runs++;
        await store.update(Account, id, (other) => other.deposit(100));
        a.deposit(1);
      },
      { expectedVersion: 2 },
    );
    await expect(raced).rejects.toBeInstanceOf(ConcurrencyError);
    expect(runs).toBe(1);
    expect(await store.getAggregateVersion(id)).toBe(3);
    await expect(store.update(Account, id, (a) => a.deposit(1), { createIfMissing: true, expectedVersion: 0 })).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      actualVersion: 3,
    });
  });

  it('save() with expectedVersion: an aggregate loaded at another version is a ConcurrencyError, nothing written', async () => {
    const { store } = await open();
    const account = new Account(uid());
    account.open('ann');
    await store.save(account, { expectedVersion: 0 });
    account.deposit(1);
    const refused = await store.save(account, { expectedVersion: 0 }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CONCURRENCY_CONFLICT', expectedVersion: 0, actualVersion: 1 });
    expect(account.getUncommittedEvents()).toHaveLength(1);
    expect(await store.getAggregateVersion(account.id)).toBe(1);
    await store.save(account, { expectedVersion: 1 });
    expect(await store.getAggregateVersion(account.id)).toBe(2);
    // The version matches the caller's, but another writer moved the store since the load.
    const copy = (await store.load(Account, account.id))!;
    account.deposit(1);
    await store.save(account);
    copy.deposit(5);
    await expect(store.save(copy, { expectedVersion: 2 })).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', expectedVersion: 2, actualVersion: 3 });
  });

  it('refuses malformed update() and save() options with INVALID_ARGUMENT, writing nothing', async () => {
    const { store } = await open();
    const id = uid();
    const badUpdates: unknown[] = [null, { maxRetries: -1 }, { expectedVersion: 'any' }, { expectedVersion: -1 }, { createIfMissing: 'yes' }];
    for (const options of badUpdates) {
      await expect(store.update(Account, id, (a) => a.open('ann'), options as object)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    const account = new Account(id);
    account.open('ann');
    for (const options of [null, 5, { expectedVersion: 1.5 }, { expectedVersion: 'no-stream' }]) {
      await expect(store.save(account, options as object)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(await store.getAggregateVersion(id)).toBe(0);
  });
}
