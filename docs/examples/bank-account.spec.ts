// docs/testing.md, "Testing aggregates": a test file as it would sit in your project.
// test/docs/specs.test.ts imports it, so vitest runs these tests.
// #region scenario
import { describe, it } from 'vitest';
import { scenario } from '../../src/testing.js';
import { AccountClosed, AccountOpened, BankAccount, BankingError, MoneyDeposited } from './bank-account.js';

const opened = AccountOpened.create({ owner: 'ann' });
const deposited = MoneyDeposited.create({ amountCents: 500 });

describe('BankAccount', () => {
  it('withdraws within the balance', async () => {
    const outcome = await scenario(BankAccount)
      .given(opened, deposited) // the history, as if loaded from a store
      .when((account) => account.withdraw(200)); // the command under test
    outcome
      .expectEvents({ eventType: 'MoneyWithdrawn', data: { amountCents: 200 } }) // exactly these, in order
      .expectState({ balanceCents: 300 });
  });

  it('refuses to overdraw', async () => {
    const outcome = await scenario(BankAccount).given(opened, deposited).when((account) => account.withdraw(900));
    outcome.expectError(BankingError); // or an error code such as 'EVENT_VALIDATION', or a RegExp
  });

  it('refuses to open an account twice', async () => {
    const outcome = await scenario(BankAccount, 'acc-1').given(opened).when((account) => account.open('bo'));
    outcome.expectError(/already opened/);
  });

  it('closes an empty account', async () => {
    const outcome = await scenario(BankAccount).given(opened).when((account) => account.close());
    outcome.expectEvents(AccountClosed.create({})).expectState({ closed: true });
  });
});
// #endregion
