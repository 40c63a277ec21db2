// docs/aggregates.md: an aggregate with rules, used again by the concurrency, idempotency,
// transaction and testing examples.
// #region events
import { z } from 'zod';
import { Aggregate, defineEvent, type CreateEventOptions, type EventOf } from '../../src/index.js';

const cents = z.number().int().positive(); // money in integer cents: no floating-point sums

export const AccountOpened = defineEvent('AccountOpened', z.object({ owner: z.string().min(1) }));
export const MoneyDeposited = defineEvent('MoneyDeposited', z.object({ amountCents: cents }));
export const MoneyWithdrawn = defineEvent('MoneyWithdrawn', z.object({ amountCents: cents }));
export const AccountClosed = defineEvent('AccountClosed', z.object({}));

export const accountEvents = [AccountOpened, MoneyDeposited, MoneyWithdrawn, AccountClosed] as const;
// #endregion

// #region aggregate
export class BankingError extends Error {
  override name = 'BankingError';
}

export class BankAccount extends Aggregate {
  static override readonly aggregateType = 'BankAccount';

  owner = '';
  balanceCents = 0;
  closed = false;

  open(owner: string): void {
    if (!this.isNew()) throw new BankingError('Account already opened');
    this.apply(AccountOpened.create({ owner }));
  }

  // `options` lets a caller pass an eventId, so a retried request is recognised (see the event store guide).
  deposit(amountCents: number, options?: CreateEventOptions): void {
    this.#mustBeOpen();
    this.apply(MoneyDeposited.create({ amountCents }, options));
  }

  withdraw(amountCents: number): void {
    this.#mustBeOpen();
    if (amountCents > this.balanceCents) {
      throw new BankingError(`Balance ${this.balanceCents} is less than ${amountCents}`);
    }
    this.apply(MoneyWithdrawn.create({ amountCents }));
  }

  close(): void {
    this.#mustBeOpen();
    // Check every rule before the first apply(): a command that throws halfway leaves the
    // events it already applied on the instance.
    if (this.balanceCents !== 0) throw new BankingError('Withdraw the balance before closing');
    this.apply(AccountClosed.create({}));
  }

  #mustBeOpen(): void {
    if (this.isNew() || this.closed) throw new BankingError('Account is not open');
  }

  applyAccountOpened(event: EventOf<typeof AccountOpened>): void {
    this.owner = event.data.owner;
  }

  applyMoneyDeposited(event: EventOf<typeof MoneyDeposited>): void {
    this.balanceCents += event.data.amountCents;
  }

  applyMoneyWithdrawn(event: EventOf<typeof MoneyWithdrawn>): void {
    this.balanceCents -= event.data.amountCents;
  }

  applyAccountClosed(): void {
    this.closed = true;
  }
}
// #endregion
