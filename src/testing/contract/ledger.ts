import { defineDecider, type DeciderDefinition } from '../../core/decider.js';
import type { StorageAdapter } from '../../store/adapter.js';
import { AccountOpened, Deposited } from './fixtures.js';

/** The contract's decider: an account in the functional style, beside the `Account` class. */
export interface LedgerState {
  owner: string | null;
  balance: number;
  openedAt: Date | null;
  limit: bigint;
  deposits: Map<number, number>;
}

export type LedgerCommand =
  | { type: 'open'; owner: string }
  | { type: 'deposit'; amounts: number[]; by?: string }
  | { type: 'nothing' };

/** A domain refusal, as `decide` throws it. */
export class LedgerError extends Error {
  readonly code = 'LEDGER_REFUSED';
}

export const ledgerDefinition = {
  streamType: 'ContractLedger',
  events: [AccountOpened, Deposited],
  initialState: (): LedgerState => ({ owner: null, balance: 0, openedAt: null, limit: 0n, deposits: new Map() }),
  evolve: (state, event): LedgerState => {
    switch (event.eventType) {
      case 'ContractAccountOpened':
        return { ...state, owner: event.data.owner, openedAt: event.data.openedAt, limit: event.data.limit };
      case 'ContractDeposited':
        return { ...state, balance: state.balance + event.data.amount, deposits: new Map(state.deposits).set(event.aggregateVersion, event.data.amount) };
    }
  },
  decide: (command: LedgerCommand, state) => {
    switch (command.type) {
      case 'open':
        if (state.owner !== null) throw new LedgerError('already open');
        return AccountOpened.create({ owner: command.owner, openedAt: new Date('2024-01-02T03:04:05.678Z'), limit: 2n ** 70n });
      case 'deposit':
        if (state.owner === null) throw new LedgerError('not open');
        return command.amounts.map((amount) => Deposited.create({ amount }, command.by ? { metadata: { userId: command.by } } : {}));
      case 'nothing':
        return undefined;
    }
  },
} satisfies DeciderDefinition<LedgerCommand, LedgerState, readonly [typeof AccountOpened, typeof Deposited]>;

export const Ledger = defineDecider(ledgerDefinition);

/**
 * The adapter with `afterRead(aggregateId)` run after each stream read returns, before its caller
 * goes on: another writer slipping in between a load and the append that follows it.
 */
export function interleaved(adapter: StorageAdapter, afterRead: (aggregateId: string) => Promise<void>): StorageAdapter {
  return new Proxy(adapter, {
    get(target, key) {
      if (key === 'readStream') {
        return async (aggregateId: string, query: Parameters<StorageAdapter['readStream']>[1]) => {
          const records = await target.readStream(aggregateId, query);
          await afterRead(aggregateId);
          return records;
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
