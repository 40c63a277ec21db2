// docs/deciders.md, "Aggregate classes": the same expectedVersion and createIfMissing on update() and save().
// #region classes
import { ConcurrencyError, EventStore } from '../../src/index.js';
import { BankAccount } from './bank-account.js';

export async function classes(store: EventStore) {
  // createIfMissing: an account with no events is made (new BankAccount(id)) for the command.
  await store.update(BankAccount, 'acc-9', (account) => account.open('ann'), { createIfMissing: true });

  // expectedVersion: the version the caller last saw. The account is at 1, so this one is refused
  // before the command runs, and nothing is written.
  const stale = await store
    .update(BankAccount, 'acc-9', (account) => account.deposit(500), { expectedVersion: 0 })
    .catch((error: unknown) => (error instanceof ConcurrencyError ? error.actualVersion : error)); // 1

  const account = await store.update(BankAccount, 'acc-9', (a) => a.deposit(500), { expectedVersion: 1 }); // version 2
  account.withdraw(200);
  await store.save(account, { expectedVersion: 2 }); // it was loaded at 2: saved, version 3
  return { stale, version: account.version, balanceCents: account.balanceCents }; // { stale: 1, version: 3, balanceCents: 300 }
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    return await classes(store);
  } finally {
    await store.close();
  }
}
