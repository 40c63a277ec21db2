import type { ExpectedVersion } from '../store/event-log.js';
import type { Aggregate, AggregateClass } from '../core/aggregate.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Event, EventMetadata, NewEvent } from '../core/event.js';
import { checkPlainObject, MAX_AGGREGATE_VERSION } from '../core/limits.js';
import type { StoreContext } from './store-operations.js';
import { checkOptionsObject, checkPositiveInteger } from '../core/checks.js';

/** Options of `store.update(Class, id, command, options)`. */
export interface UpdateOptions {
  /** How many more times to reload and rerun the command after a conflict (default 3). Not used with `expectedVersion`. */
  maxRetries?: number | undefined;
  /**
   * The version the caller last saw (an `If-Match`): when the stored aggregate is at another one,
   * `ConcurrencyError` and nothing runs or is written; a conflict while saving is not retried either.
   */
  expectedVersion?: number | undefined;
  /** Run the command on a new instance (`new Class(id)`) when the aggregate has no events, instead of throwing `AggregateNotFoundError`. */
  createIfMissing?: boolean | undefined;
}

/** Options of `store.save(aggregate, options)`. */
export interface SaveOptions {
  /** The version the caller last saw: when the aggregate was loaded at another one, `ConcurrencyError` and nothing is written. */
  expectedVersion?: number | undefined;
}

/** Options of `store.handle(decider, id, command, options)`. */
export interface HandleOptions {
  /**
   * The version the caller last saw (an `If-Match`; 0 for a stream that must not exist yet): when the
   * stream is at another one, `ConcurrencyError`, `decide` does not run and nothing is written. A
   * conflict while appending is not retried either.
   */
  expectedVersion?: number | undefined;
  /** Without `expectedVersion`: how many more times to reload and decide again after a conflict (default 3). */
  maxRetries?: number | undefined;
  /** Merged into the metadata of every new event (an event's own keys win), e.g. a correlation id. */
  metadata?: EventMetadata | undefined;
}

/** @internal what commands need from the store: its context and its own load, save and append. */
export interface CommandHost {
  readonly ctx: StoreContext;
  load<T extends Aggregate>(cls: AggregateClass<T>, aggregateId: string): Promise<T | null>;
  save(aggregate: Aggregate): Promise<Event[]>;
  append(aggregateType: string, aggregateId: string, expectedVersion: ExpectedVersion, events: readonly (NewEvent | Event)[]): Promise<Event[]>;
}

export const DEFAULT_MAX_RETRIES = 3;

/** @internal the checked `expectedVersion` and `maxRetries` of a command's options. */
export interface RetryPlan {
  expectedVersion: number | undefined;
  maxRetries: number;
}

/** @internal checks the options `update()` and `handle()` share; throws InvalidArgumentError. */
export function checkRetryOptions(argument: string, options: unknown): RetryPlan {
  checkOptionsObject(argument, options);
  const o = (options ?? {}) as { expectedVersion?: unknown; maxRetries?: unknown };
  const maxRetries = o.maxRetries ?? DEFAULT_MAX_RETRIES;
  checkPositiveInteger('maxRetries', maxRetries, { allowZero: true });
  return { expectedVersion: checkExpectedVersionOption(o.expectedVersion), maxRetries };
}

/** @internal an `expectedVersion` option: undefined, or a version from 0 to the largest. */
export function checkExpectedVersionOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  checkPositiveInteger('expectedVersion', value, { allowZero: true, max: MAX_AGGREGATE_VERSION });
  return value;
}

/** @internal checks `handle()`'s metadata option. */
export function checkMetadataOption(value: unknown): EventMetadata | undefined {
  if (value === undefined) return undefined;
  checkPlainObject('metadata', value);
  return value;
}

/** @internal checks a boolean option. */
export function checkBooleanOption(argument: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(argument, 'must be a boolean');
  return value;
}
