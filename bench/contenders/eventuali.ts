/**
 * eventuali as a user writes it. Items 1a–1c and 2: an `Account` aggregate, commands that create
 * zod-validated events, `store.save(account)` and `store.load(Account, id)`. The peer comparison:
 * events made by `defineEvent(...).create(data)`, `store.append(type, id, expectedVersion, events)`,
 * `store.loadEvents`, `store.load(Account, id)`, `store.readAll` and `store.subscribe`. Defaults
 * everywhere (validation on read, a pool of 10 on PostgreSQL); SQLite at the location's synchronous.
 */
import { EventStore, type CreateStoreOptions, type StorageAdapter } from '../../src/index.js';
import { openPostgresAdapter } from '../../src/postgres.js';
import { openSqliteAdapter } from '../../src/sqlite.js';
import { Account, ACCOUNT_TYPE, AccountOpened, MoneyDeposited, applyEvents, newEvents } from '../domain/account.js';
import { seedLog } from '../lib/seed-log.js';
import type { Location } from '../lib/targets.js';
import { chunks, type Contender, type ContenderFactory } from './contender.js';

export interface EventualiOptions {
  /** Column name (default `eventuali`). */
  name?: string;
  snapshotEvery?: number;
  /** PostgreSQL pool size (default 10, the store's). */
  poolSize?: number;
  /** The store's `groupCommit` option (default: the store's). */
  groupCommit?: CreateStoreOptions['groupCommit'];
}

/** The store URL of a bench location. */
export function eventualiUrl(location: Location): string {
  if (location.kind === 'postgres') return location.connectionString;
  return location.filename === ':memory:' ? 'sqlite::memory:' : `sqlite://${location.filename}`;
}

/** The store options a location asks for: SQLite at its synchronous, plus `options`. */
export function storeOptions(location: Location, options: Omit<EventualiOptions, 'name'> = {}): CreateStoreOptions {
  const store: CreateStoreOptions = {};
  if (location.kind === 'sqlite') store.synchronous = location.synchronous;
  if (options.snapshotEvery !== undefined) store.snapshotEvery = options.snapshotEvery;
  if (options.poolSize !== undefined && location.kind === 'postgres') store.poolSize = options.poolSize;
  if (options.groupCommit !== undefined) store.groupCommit = options.groupCommit;
  return store;
}

/** An eventuali store on a bench location, with the account events registered. */
export async function openEventualiStore(location: Location, options: Omit<EventualiOptions, 'name'> = {}): Promise<EventStore> {
  const store = await EventStore.create(eventualiUrl(location), storeOptions(location, options));
  return store.register(AccountOpened, MoneyDeposited);
}

/** The storage adapter `EventStore.create` would open on a location, for a store built over a wrapped adapter. */
export function openEventualiAdapter(location: Location, options: Omit<EventualiOptions, 'name'> = {}): Promise<StorageAdapter> {
  return location.kind === 'sqlite'
    ? openSqliteAdapter(location.filename, storeOptions(location, options))
    : openPostgresAdapter(location.connectionString, storeOptions(location, options));
}

export async function openEventuali(location: Location, options: EventualiOptions = {}): Promise<Contender> {
  const store = await openEventualiStore(location, options);
  const load = async (streamId: string): Promise<number> => {
    const account = await store.load(Account, streamId);
    if (!account) throw new Error(`stream ${streamId} not found`);
    return account.version;
  };
  return {
    name: options.name ?? 'eventuali',
    async saveNew(streamId, eventCount) {
      const account = new Account(streamId);
      applyEvents(account, 1, eventCount);
      await store.save(account);
    },
    async seedStream(streamId, eventCount, chunkSize) {
      const account = new Account(streamId);
      for (const [from, to] of chunks(eventCount, chunkSize)) {
        applyEvents(account, from, to);
        await store.save(account);
      }
    },
    loadAggregate: load,
    async appendNew(streamId, count) {
      await store.append(ACCOUNT_TYPE, streamId, 'no-stream', newEvents(1, count));
    },
    async appendAt(streamId, expectedVersion) {
      await store.append(ACCOUNT_TYPE, streamId, expectedVersion, newEvents(expectedVersion + 1, expectedVersion + 1));
    },
    async readStream(streamId) {
      return (await store.loadEvents(streamId)).length;
    },
    rebuild: load,
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
}

export const eventuali: ContenderFactory = (location) => openEventuali(location);
