/**
 * eventuali as a user writes it: an `Account` aggregate, commands that create zod-validated
 * events, `store.save(account)` and `store.load(Account, id)`.
 */
import { EventStore, type CreateStoreOptions } from '../../src/index.js';
import { Account, AccountOpened, MoneyDeposited, depositData, openedData } from '../domain/account.js';
import type { BenchDatabase, Location } from '../lib/targets.js';
import type { Contender, ContenderFactory } from './contender.js';

export interface EventualiOptions {
  /** Column name (default `eventuali`). */
  name?: string;
  snapshotEvery?: number;
}

/** The store URL of a bench location. */
export function eventualiUrl(location: Location): string {
  if (location.kind === 'postgres') return location.connectionString;
  return location.filename === ':memory:' ? 'sqlite::memory:' : `sqlite://${location.filename}`;
}

/** Applies events `from` … `to` (versions, inclusive) to the account through its commands. */
function applyEvents(account: Account, from: number, to: number): void {
  for (let version = from; version <= to; version++) {
    if (version === 1) account.open(openedData(version));
    else account.deposit(depositData(version));
  }
}

export async function openEventuali(db: BenchDatabase, options: EventualiOptions = {}): Promise<Contender> {
  const location = db.location;
  const storeOptions: CreateStoreOptions = {};
  if (location.kind === 'sqlite') storeOptions.synchronous = location.synchronous;
  if (options.snapshotEvery !== undefined) storeOptions.snapshotEvery = options.snapshotEvery;
  const store = await EventStore.create(eventualiUrl(location), storeOptions);
  store.register(AccountOpened, MoneyDeposited);
  return {
    name: options.name ?? 'eventuali',
    async createStream(streamId, eventCount) {
      const account = new Account(streamId);
      applyEvents(account, 1, eventCount);
      await store.save(account);
    },
    async seedStream(streamId, eventCount, chunkSize) {
      const account = new Account(streamId);
      for (let from = 1; from <= eventCount; from += chunkSize) {
        applyEvents(account, from, Math.min(eventCount, from + chunkSize - 1));
        await store.save(account);
      }
    },
    async readStream(streamId) {
      const account = await store.load(Account, streamId);
      if (!account) throw new Error(`stream ${streamId} not found`);
      return account.version;
    },
    close: () => store.close(),
  };
}

export const eventuali: ContenderFactory = (db) => openEventuali(db);
