/**
 * eventuali in the peer comparison, through its public API as a user writes it: events made by
 * `defineEvent(...).create(data)` (zod-validated), `store.append(type, id, expectedVersion, events)`,
 * `store.loadEvents`, `store.load(Account, id)`, `store.readAll` and `store.subscribe`. Defaults
 * everywhere (validation on read, a pool of 10 on PostgreSQL); SQLite at the location's synchronous.
 */
import { EventStore, type CreateStoreOptions, type NewEvent } from '../../src/index.js';
import { eventualiUrl } from '../contenders/eventuali.js';
import { Account, ACCOUNT_TYPE, AccountOpened, MoneyDeposited, depositData, openedData } from '../domain/account.js';
import { seedLog } from '../lib/seed-log.js';
import type { Location } from '../lib/targets.js';
import type { PeerContender, PeerFactory } from './peer-contender.js';

function newEvents(from: number, to: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let version = from; version <= to; version++) {
    events.push(version === 1 ? AccountOpened.create(openedData(version)) : MoneyDeposited.create(depositData(version)));
  }
  return events;
}

export async function openEventualiStore(location: Location): Promise<EventStore> {
  const options: CreateStoreOptions = location.kind === 'sqlite' ? { synchronous: location.synchronous } : {};
  const store = await EventStore.create(eventualiUrl(location), options);
  return store.register(AccountOpened, MoneyDeposited);
}

export const openPeerEventuali: PeerFactory = async (location) => {
  const store = await openEventualiStore(location);
  const contender: PeerContender = {
    name: 'eventuali',
    async appendNew(streamId, count) {
      await store.append(ACCOUNT_TYPE, streamId, 'no-stream', newEvents(1, count));
    },
    async appendAt(streamId, expectedVersion) {
      await store.append(ACCOUNT_TYPE, streamId, expectedVersion, newEvents(expectedVersion + 1, expectedVersion + 1));
    },
    async readStream(streamId) {
      return (await store.loadEvents(streamId)).length;
    },
    async rebuild(streamId) {
      const account = await store.load(Account, streamId);
      if (!account) throw new Error(`stream ${streamId} not found`);
      return account.version;
    },
    async readAll(pageSize) {
      let read = 0;
      let after = 0n;
      for (;;) {
        const page = await store.readAll({ fromPosition: after, limit: pageSize });
        read += page.length;
        const last = page[page.length - 1];
        if (!last || page.length < pageSize) return read;
        after = last.globalPosition;
      }
    },
    async catchUp(consumerId, total, batchSize) {
      let seen = 0;
      const subscription = store.subscribe({ id: consumerId, from: 'start', batchSize, handle: () => void seen++ });
      await subscription.start();
      await subscription.waitUntilCaughtUp({ timeoutMs: 600_000 });
      await subscription.stop();
      if (seen < total) throw new Error(`eventuali consumer handled ${seen} of ${total} events`);
      return seen;
    },
    seedLog: (events) => seedLog(location, events),
    close: () => store.close(),
  };
  return contender;
};
