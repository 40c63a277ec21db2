// docs/event-store.md, "Transactions".
// #region imports
import { EventStore } from '../../src/index.js';
import { BankAccount, BankingError } from './bank-account.js';
// #endregion

// #region transfer
export async function transfer(store: EventStore, fromId: string, toId: string, amountCents: number): Promise<void> {
  await store.transaction(async (tx) => {
    // Inside, use only `tx`: it sees this transaction's own writes. A call on `store` runs
    // outside the transaction and may wait for it to end: never await one here.
    const from = await tx.load(BankAccount, fromId);
    const to = await tx.load(BankAccount, toId);
    if (!from || !to) throw new BankingError('Unknown account');
    from.withdraw(amountCents); // throws when the balance is short: nothing is saved
    to.deposit(amountCents);
    await tx.save(from);
    await tx.save(to); // a ConcurrencyError here rolls back the withdrawal too
  });
}
// #endregion

export async function main(url = 'sqlite::memory:') {
  const store = await EventStore.create(url);
  try {
    for (const [id, owner, cents] of [['a', 'ann', 500], ['b', 'bo', 0]] as const) {
      const account = new BankAccount(id);
      account.open(owner);
      if (cents > 0) account.deposit(cents);
      await store.save(account);
    }
    await transfer(store, 'a', 'b', 200);
    const refused = await transfer(store, 'a', 'b', 1_000).catch((error: unknown) => error);
    const balances = async () => [
      (await store.load(BankAccount, 'a'))?.balanceCents,
      (await store.load(BankAccount, 'b'))?.balanceCents,
    ];
    return { balances: await balances(), refused: refused instanceof BankingError };
  } finally {
    await store.close();
  }
}
