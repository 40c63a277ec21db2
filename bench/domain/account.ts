/**
 * The benchmark's domain: a bank account. Small, realistic payloads (a few string and number
 * fields) that every contender writes and reads in the same shape.
 */
import { z } from 'zod';
import { Aggregate, defineEvent, type EventOf } from '../../src/index.js';

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
