// docs/errors.md.
// #region imports
import { ConcurrencyError, EventStore, EventValidationError, isEventualiError } from '../../src/index.js';
import { BankAccount, BankingError, MoneyDeposited } from './bank-account.js';
// #endregion

// #region http-status
/** An HTTP status for an error from a request handler. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof BankingError) return 409; // the application's own rule
  // isEventualiError works across two copies of eventuali in node_modules; instanceof does not.
  if (!isEventualiError(error)) return 500;
  switch (error.code) {
    case 'EVENT_VALIDATION':
    case 'INVALID_ARGUMENT':
      return 400;
    case 'AGGREGATE_NOT_FOUND':
      return 404;
    case 'CONCURRENCY_CONFLICT': // after update() used up its retries
      return 409;
    case 'CONNECTION':
    case 'STORE_CLOSED':
      return 503;
    default:
      return 500;
  }
}
// #endregion

// #region details
export function describeError(error: unknown): string {
  if (error instanceof ConcurrencyError) {
    return `${error.aggregateId}: expected version ${String(error.expectedVersion)}, found ${error.actualVersion}`;
  }
  if (error instanceof EventValidationError) {
    return `${error.eventType}: ${error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`;
  }
  return String(error);
}
// #endregion

export async function main() {
  const store = await EventStore.create('memory:');
  const caught = async (fn: () => unknown) => {
    try {
      await fn();
      return null;
    } catch (error) {
      return error;
    }
  };
  try {
    const account = new BankAccount('acc-1');
    account.open('ann');
    await store.save(account);
    const stale = (await store.load(BankAccount, 'acc-1')) as BankAccount;
    await store.update(BankAccount, 'acc-1', (a) => a.deposit(10));
    stale.deposit(5);
    const errors = [
      await caught(() => MoneyDeposited.create({ amountCents: -5 })),
      await caught(() => store.update(BankAccount, 'missing', (a) => a.deposit(1))),
      await caught(() => store.save(stale)),
      await caught(() => account.withdraw(1_000)),
      new Error('anything else'),
    ];
    return errors.map((error) => ({ status: httpStatusOf(error), text: describeError(error) }));
  } finally {
    await store.close();
  }
}
