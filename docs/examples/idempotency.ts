// docs/event-store.md, "Idempotent retries".
// #region imports
import { randomUUID } from 'node:crypto';
import {
  ConnectionError,
  EventStore,
  MemoryAdapter,
  isEventualiError,
  type Aggregate,
  type AppendBatch,
  type Event,
  type EventRecord,
} from '../../src/index.js';
import { BankAccount } from './bank-account.js';
// #endregion

// #region retry-save
export async function saveWithRetry(store: EventStore, aggregate: Aggregate, attempts = 3): Promise<Event[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.save(aggregate);
    } catch (error) {
      // CONNECTION: the commit may or may not have happened. A failed save leaves the events on
      // the aggregate with the same eventIds, so saving again either writes them or, when the
      // first attempt did commit, returns the stored events. Nothing is written twice.
      if (!isEventualiError(error, 'CONNECTION') || attempt >= attempts) throw error;
    }
  }
}
// #endregion

// #region request-id
export async function depositOnce(store: EventStore, accountId: string, amountCents: number, requestId: string) {
  try {
    // requestId: a UUID the client made once for this request and sends again on every retry.
    return await store.update(BankAccount, accountId, (account) =>
      account.deposit(amountCents, { eventId: requestId }),
    );
  } catch (error) {
    // The event id is already stored at another version: an earlier attempt of this request
    // committed. The deposit has happened once; report success.
    if (isEventualiError(error, 'DUPLICATE_EVENT')) return store.load(BankAccount, accountId);
    throw error;
  }
}
// #endregion

/** A memory store whose next append commits and then reports a lost connection. */
class FlakyAdapter extends MemoryAdapter {
  failNextAppend = false;
  override async append(batch: AppendBatch): Promise<EventRecord[]> {
    const stored = await super.append(batch);
    if (this.failNextAppend) {
      this.failNextAppend = false;
      throw new ConnectionError('connection lost before the commit was acknowledged');
    }
    return stored;
  }
}

export async function main() {
  const adapter = new FlakyAdapter();
  const store = new EventStore(adapter);
  const account = new BankAccount('acc-9');
  account.open('ann');
  adapter.failNextAppend = true;
  const saved = await saveWithRetry(store, account);

  const requestId = randomUUID();
  await depositOnce(store, 'acc-9', 250, requestId);
  const again = await depositOnce(store, 'acc-9', 250, requestId); // the client retried
  return {
    savedVersions: saved.map((event) => event.aggregateVersion),
    balanceCents: again?.balanceCents,
    storedEvents: (await store.loadEvents('acc-9')).map((event) => event.eventType),
  };
}
