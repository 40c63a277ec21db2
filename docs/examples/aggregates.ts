// docs/aggregates.md: the life of an aggregate instance.
// #region imports
import { EventStore } from '../../src/index.js';
import { BankAccount, BankingError } from './bank-account.js';
// #endregion

// #region lifecycle
export async function lifecycle(store: EventStore) {
  const account = new BankAccount('acc-1');
  account.isNew(); // true: version 0, no events
  account.open('ann');
  account.deposit(500);
  account.version; // 2: every applied event counts, saved or not
  account.getUncommittedEvents().length; // 2

  const saved = await store.save(account); // appends both, expecting version 0
  saved.map((event) => event.aggregateVersion); // [1, 2]
  account.getUncommittedEvents().length; // 0: the same instance can go on

  account.withdraw(200);
  await store.save(account); // appends version 3, expecting version 2

  try {
    account.withdraw(1_000);
  } catch (error) {
    if (!(error instanceof BankingError)) throw error;
    account.version; // still 3: the command refused before apply()
  }

  const loaded = await store.load(BankAccount, 'acc-1'); // rebuilt by replaying versions 1 to 3
  return { balanceCents: loaded?.balanceCents, version: loaded?.version }; // { balanceCents: 300, version: 3 }
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    return await lifecycle(store);
  } finally {
    await store.close();
  }
}
