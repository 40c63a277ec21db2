// docs/event-store.md, "Concurrency".
// #region imports
import { AggregateNotFoundError, ConcurrencyError, EventStore } from '../../src/index.js';
import { BankAccount } from './bank-account.js';
// #endregion

// #region conflict
export async function twoWriters(store: EventStore, accountId: string) {
  const first = await store.load(BankAccount, accountId); // both at version 2
  const second = await store.load(BankAccount, accountId);
  if (!first || !second) throw new AggregateNotFoundError('BankAccount', accountId);
  first.withdraw(300);
  second.withdraw(300);
  await store.save(first); // version 3
  try {
    await store.save(second); // still expects version 2
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    // Nothing of `second` was written. Its withdrawal may no longer be allowed: reload and decide again.
    return { expected: error.expectedVersion, actual: error.actualVersion }; // { expected: 2, actual: 3 }
  }
  throw new Error('unreachable: the second save conflicts');
}
// #endregion

// #region update
export async function withdraw(store: EventStore, accountId: string, amountCents: number): Promise<BankAccount> {
  // On ConcurrencyError: reload, run the command again on the fresh state, save; at most
  // maxRetries more times. A command that throws (BankingError here) is not retried.
  return store.update(BankAccount, accountId, (account) => account.withdraw(amountCents), { maxRetries: 5 });
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  try {
    const account = new BankAccount('acc-7');
    account.open('ann');
    account.deposit(1_000);
    await store.save(account);
    const conflict = await twoWriters(store, 'acc-7');
    const [a, b] = await Promise.all([withdraw(store, 'acc-7', 100), withdraw(store, 'acc-7', 100)]);
    const missing = await withdraw(store, 'nobody', 1).catch((error: unknown) => error);
    return {
      conflict,
      versions: [a.version, b.version].sort(),
      balanceCents: (await store.load(BankAccount, 'acc-7'))?.balanceCents,
      missing: missing instanceof AggregateNotFoundError ? missing.code : missing,
    };
  } finally {
    await store.close();
  }
}
