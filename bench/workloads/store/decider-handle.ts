/**
 * d1: `store.handle()` on a decider against `store.update()` on the equivalent class: load a
 * 10-event account, run a deposit command, append its one event. Public API only.
 */
import { defineDecider, type EventStore } from '../../../src/index.js';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { Account, AccountOpened, MoneyDeposited, depositData, openedData } from '../../domain/account.js';
import { formatWhole } from '../../lib/format.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import type { BenchDatabase, Target } from '../../lib/targets.js';
import { compare, pairedRatio, recordRounds, type Compared } from '../../lib/timing.js';
import type { BenchContext, Workload } from '../../lib/workload.js';

/** Events each account holds before the measured commands. */
const SEED_EVENTS = 10;
/** Accounts per caller and side: commands go round them, so each stream grows slowly. */
const ACCOUNTS_PER_CALLER = 64;
const HANDLE = 'decider handle()';
const UPDATE = 'class update()';

interface AccountState {
  owner: string;
  currency: string;
  balance: number;
  deposits: number;
}

type AccountCommand = { type: 'deposit'; n: number };

/** The bench's `Account` class as a decider: the same events, state and rule. */
const AccountDecider = defineDecider({
  streamType: 'DeciderAccount',
  events: [AccountOpened, MoneyDeposited],
  initialState: (): AccountState => ({ owner: '', currency: '', balance: 0, deposits: 0 }),
  evolve: (state, event): AccountState => {
    switch (event.eventType) {
      case 'AccountOpened':
        return { ...state, owner: event.data.owner, currency: event.data.currency, balance: event.data.initialDeposit };
      case 'MoneyDeposited':
        return { ...state, balance: state.balance + event.data.amount, deposits: state.deposits + 1 };
    }
  },
  decide: (command: AccountCommand, state) => {
    if (state.owner === '') throw new Error('Account not opened');
    return MoneyDeposited.create(depositData(command.n));
  },
});

const streamId = (side: string, caller: number, k: number): string => `${side}-${caller}-${k}`;

async function seed(store: EventStore, callers: number): Promise<void> {
  const history = (k: number) => [
    AccountOpened.create(openedData(k)),
    ...Array.from({ length: SEED_EVENTS - 1 }, (_, i) => MoneyDeposited.create(depositData(i + 2))),
  ];
  for (let caller = 0; caller < callers; caller++) {
    for (let k = 0; k < ACCOUNTS_PER_CALLER; k++) {
      await store.append(Account.aggregateType, streamId('class', caller, k), 0, history(k));
      await store.append(AccountDecider.streamType, streamId('decider', caller, k), 0, history(k));
    }
  }
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row = emptyRow('d1', `one command on a ${SEED_EVENTS}-event stream`, target.label, 'commands/s', [HANDLE, UPDATE]);
  let store: EventStore | undefined;
  let db: BenchDatabase | undefined;
  let results = new Map<string, Compared>();
  try {
    db = await target.fresh('d1');
    store = await openEventualiStore(db.location);
    await seed(store, target.concurrency);
    const s = store;
    const next = Array.from({ length: target.concurrency }, () => 0);
    const turn = (caller: number): number => {
      const n = (next[caller] ?? 0) + 1;
      next[caller] = n;
      return n;
    };
    results = await compare(
      [
        {
          name: HANDLE,
          op: (caller) => {
            const n = turn(caller);
            return s.handle(AccountDecider, streamId('decider', caller, n % ACCOUNTS_PER_CALLER), { type: 'deposit', n });
          },
        },
        {
          name: UPDATE,
          op: (caller) => {
            const n = turn(caller);
            return s.update(Account, streamId('class', caller, n % ACCOUNTS_PER_CALLER), (account) => account.deposit(depositData(n)));
          },
        },
      ],
      { ...ctx.settings, concurrency: target.concurrency },
    );
    recordRounds(row, results);
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await store?.close().catch(() => {});
    await db?.dispose().catch(() => {});
  }
  row.checks.push(check('handle / update', pairedRatio(results.get(HANDLE), results.get(UPDATE)), '>=', 0.95));
  ctx.log(`  d1 ${target.label}: handle ${formatWhole(row.values[HANDLE])}, update ${formatWhole(row.values[UPDATE])} commands/s`);
  return row;
}

export const deciderHandle: Workload = {
  name: 'decider-handle',
  ids: ['d1'],
  async run(ctx) {
    const rows = [];
    for (const target of ctx.stores) rows.push(await runOn(ctx, target));
    return {
      id: 'd1',
      title: 'decider handle() vs class update()',
      description:
        `One store, two sets of accounts seeded with ${SEED_EVENTS} events each: \`store.handle(AccountDecider, id, { type: 'deposit' })\` ` +
        `against \`store.update(Account, id, (a) => a.deposit(…))\` on the bench's \`Account\` class, the same events and state. ` +
        `Each command loads the stream, decides one zod-validated deposit and appends it; each caller goes round ${ACCOUNTS_PER_CALLER} ` +
        'accounts of its own. The decider\'s `evolve` returns a new state object per event, as deciders are usually written; ' +
        'the class mutates its fields (a decider whose `evolve` mutates and returns the state costs less CPU than the class). ' +
        'SQLite runs one caller, PostgreSQL eight concurrent callers.',
      columns: [HANDLE, UPDATE],
      rows,
    };
  },
};
