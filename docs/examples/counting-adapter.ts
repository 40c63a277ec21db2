// docs/testing.md, "Testing an adapter": a storage adapter that wraps another one and counts
// appends, as a metrics or tracing decorator would.
// #region adapter
import type { AppendBatch, StorageAdapter, TransactionSession } from '../../src/index.js';

/** Wraps an adapter: every call goes to `inner`, and appends (in transactions too) are counted. */
export function countingAdapter(inner: StorageAdapter): StorageAdapter & { readonly appends: number } {
  let appends = 0;
  const countedSession = (session: TransactionSession): TransactionSession => ({
    append: (batch) => {
      appends += 1;
      return session.append(batch);
    },
    readStream: (id, query) => session.readStream(id, query),
    streamInfo: (id) => session.streamInfo(id),
    query: (sql, params) => session.query(sql, params),
    client: session.client,
    documents: session.documents, // read models' document writes
    saveCheckpoint: (id, position, fence) => session.saveCheckpoint(id, position, fence),
  });
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'appends') return appends;
      if (property === 'append') {
        return (batch: AppendBatch) => {
          appends += 1;
          return target.append(batch);
        };
      }
      if (property === 'transaction') {
        return <T>(fn: (session: TransactionSession) => Promise<T>) => target.transaction((s) => fn(countedSession(s)));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as StorageAdapter & { readonly appends: number };
}
// #endregion

export async function main() {
  const { EventStore, MemoryAdapter } = await import('../../src/index.js');
  const { BankAccount } = await import('./bank-account.js');
  const adapter = countingAdapter(new MemoryAdapter());
  const store = new EventStore(adapter);
  const account = new BankAccount('acc-count');
  account.open('ann');
  await store.save(account);
  account.deposit(100);
  await store.transaction(async (tx) => {
    await tx.save(account);
  });
  return { appends: adapter.appends };
}
