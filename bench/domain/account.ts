/**
 * The benchmark's domain: a bank account. Small, realistic payloads (a few string and number
 * fields) that every contender writes and reads in the same shape.
 */
import { z } from 'zod';
import { Aggregate, defineEvent, type EventOf, type NewEvent } from '../../src/index.js';

export const AccountOpened = defineEvent(
  'AccountOpened',
  z.object({
    owner: z.string().min(1).max(100),
    email: z.email(),
    currency: z.string().length(3),
    initialDeposit: z.number().int().nonnegative(),
  }),
);

export const MoneyDeposited = defineEvent(
  'MoneyDeposited',
  z.object({
    amount: z.number().int().positive(),
    reference: z.string().min(1).max(64),
    channel: z.enum(['card', 'transfer', 'cash']),
  }),
);

export const ACCOUNT_TYPE = 'Account';

const CHANNELS = ['card', 'transfer', 'cash'] as const;

/** The data of the first event of account number `n`. */
export function openedData(n: number): z.input<typeof AccountOpened.schema> {
  return { owner: `Owner ${n}`, email: `owner${n}@example.com`, currency: 'EUR', initialDeposit: 100 };
}

/** The data of the `n`-th deposit. */
export function depositData(n: number): z.input<typeof MoneyDeposited.schema> {
  return { amount: 1 + (n % 500), reference: `ref-${n}`, channel: CHANNELS[n % 3] ?? 'card' };
}

/** Event type and data of event `version` (1-based) of a stream: an opening, then deposits. */
export function eventAt(version: number): { type: string; data: object } {
  return version === 1
    ? { type: AccountOpened.type, data: openedData(version) }
    : { type: MoneyDeposited.type, data: depositData(version) };
}

/** The events of versions `from` … `to` (inclusive) as `defineEvent(...).create(data)` makes them (zod-validated). */
export function newEvents(from: number, to: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let version = from; version <= to; version++) {
    events.push(version === 1 ? AccountOpened.create(openedData(version)) : MoneyDeposited.create(depositData(version)));
  }
  return events;
}

/** The plain `{ type, data }` events of versions `from` … `to`, as a schemaless store takes them. */
export function plainEvents(from: number, to: number): { type: string; data: Record<string, unknown> }[] {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for (let version = from; version <= to; version++) {
    const { type, data } = eventAt(version);
    events.push({ type, data: data as Record<string, unknown> });
  }
  return events;
}

/** Applies events `from` … `to` (versions, inclusive) to the account through its commands. */
export function applyEvents(account: Account, from: number, to: number): void {
  for (let version = from; version <= to; version++) {
    if (version === 1) account.open(openedData(version));
    else account.deposit(depositData(version));
  }
}

/** An account's state as the functional contenders fold it (Emmett's `evolve`, the raw fold). */
export interface AccountState {
  owner: string;
  currency: string;
  balance: number;
  deposits: number;
  version: number;
}

export const initialAccount = (): AccountState => ({ owner: '', currency: '', balance: 0, deposits: 0, version: 0 });

/** Folds one stored event into the state (the same arithmetic as the `Account` aggregate). */
export function evolveAccount(state: AccountState, type: string, data: Record<string, unknown>): AccountState {
  if (type === AccountOpened.type) {
    const opened = data as ReturnType<typeof openedData>;
    return { ...state, owner: opened.owner, currency: opened.currency, balance: opened.initialDeposit, version: state.version + 1 };
  }
  const deposit = data as ReturnType<typeof depositData>;
  return { ...state, balance: state.balance + deposit.amount, deposits: state.deposits + 1, version: state.version + 1 };
}

export class Account extends Aggregate {
  static override readonly aggregateType = ACCOUNT_TYPE;
  owner = '';
  currency = '';
  balance = 0;
  deposits = 0;

  open(data: z.input<typeof AccountOpened.schema>): void {
    if (!this.isNew()) throw new Error('Account already opened');
    this.apply(AccountOpened.create(data));
  }

  deposit(data: z.input<typeof MoneyDeposited.schema>): void {
    if (this.isNew()) throw new Error('Account not opened');
    this.apply(MoneyDeposited.create(data));
  }

  applyAccountOpened(event: EventOf<typeof AccountOpened>): void {
    this.owner = event.data.owner;
    this.currency = event.data.currency;
    this.balance = event.data.initialDeposit;
  }

  applyMoneyDeposited(event: EventOf<typeof MoneyDeposited>): void {
    this.balance += event.data.amount;
    this.deposits += 1;
  }
}
