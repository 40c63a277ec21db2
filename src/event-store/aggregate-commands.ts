import { aggregateTypeOf, type Aggregate, type AggregateClass } from '../core/aggregate.js';
import { AggregateNotFoundError, ConcurrencyError, InvalidArgumentError } from '../core/errors.js';
import { checkId } from '../core/event.js';
import { checkBooleanOption, checkExpectedVersionOption, checkRetryOptions, type CommandHost, type SaveOptions, type UpdateOptions } from './command-options.js';
import { checkOptionsObject } from '../core/checks.js';

/**
 * `store.update()`: loads (or, with `createIfMissing`, makes) the aggregate, runs the command,
 * saves. Without `expectedVersion` a conflict reloads and runs the command again, at most
 * `maxRetries` more times; with it, a stored version other than the expected one is a
 * `ConcurrencyError` before the command runs, and a conflict on save is not retried.
 */
export async function updateAggregate<T extends Aggregate>(
  host: CommandHost,
  cls: AggregateClass<T>,
  aggregateId: string,
  command: (aggregate: T) => unknown,
  options: UpdateOptions | undefined,
): Promise<T> {
  const { expectedVersion, maxRetries } = checkRetryOptions('update options', options);
  const createIfMissing = checkBooleanOption('createIfMissing', options?.createIfMissing);
  if (typeof command !== 'function') throw new InvalidArgumentError('command', 'must be a function');
  for (let attempt = 0; ; attempt++) {
    let aggregate = await host.load(cls, aggregateId);
    if (!aggregate) {
      if (!createIfMissing) throw new AggregateNotFoundError(aggregateTypeOf(cls), aggregateId);
      aggregate = new cls(aggregateId);
    }
    if (expectedVersion !== undefined && aggregate.version !== expectedVersion) {
      throw new ConcurrencyError(aggregateId, expectedVersion, aggregate.version);
    }
    await command(aggregate);
    try {
      await host.save(aggregate);
      return aggregate;
    } catch (error) {
      if (expectedVersion !== undefined || !(error instanceof ConcurrencyError) || attempt >= maxRetries) throw error;
    }
  }
}

/**
 * Checks `store.save()`'s options before anything is written: with `expectedVersion`, the
 * aggregate must have been loaded at that version (else `ConcurrencyError`); the append itself
 * then checks that the store is still there.
 */
export function checkSaveOptions(aggregate: Aggregate, options: SaveOptions | undefined): void {
  if (options === undefined) return;
  checkOptionsObject('save options', options);
  const expectedVersion = checkExpectedVersionOption(options.expectedVersion);
  if (expectedVersion === undefined) return;
  if (typeof aggregate?.getUncommittedEvents !== 'function') throw new InvalidArgumentError('aggregate', 'must be an Aggregate instance');
  checkId('aggregate id', aggregate.id);
  const loadedAt = aggregate.version - aggregate.getUncommittedEvents().length;
  if (loadedAt !== expectedVersion) throw new ConcurrencyError(aggregate.id, expectedVersion, loadedAt);
}
