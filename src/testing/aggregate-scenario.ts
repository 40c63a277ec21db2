import { AssertionError, deepStrictEqual } from 'node:assert';
import { aggregateInternals, type Aggregate, type AggregateClass } from '../core/aggregate.js';
import type { CheckedAggregateClass } from '../core/aggregate-events.js';
import type { ErrorCode } from '../core/errors.js';
import type { Event, NewEvent } from '../core/event.js';
import { matchesError, type ErrorClass, type ErrorPredicate } from './error-matcher.js';

export type { ErrorPredicate } from './error-matcher.js';

/** What a command is expected to record: the event type and its data (and metadata, compared only when asked). */
export interface ExpectedEvent {
  eventType: string;
  data: unknown;
  metadata?: Record<string, unknown>;
}

/** Options of `expectEvents(expected, options)`. */
export interface ExpectEventsOptions {
  /** Compare each event's metadata too (an expected event without metadata expects `{}`). Default false. */
  metadata?: boolean;
}

/** What a command did: the events it applied, or the error it threw. Assertions throw AssertionError. */
export class ScenarioOutcome<T extends Aggregate> {
  /** @internal */
  constructor(
    readonly aggregate: T,
    readonly events: readonly Event[],
    readonly error: unknown,
  ) {}

  /**
   * Asserts the command applied exactly these events (type and data), in order. Pass them one by
   * one, or as an array followed by options: `expectEvents([e1, e2], { metadata: true })` compares
   * metadata too.
   */
  expectEvents(expected: readonly (ExpectedEvent | NewEvent)[], options?: ExpectEventsOptions): this;
  expectEvents(...expected: (ExpectedEvent | NewEvent)[]): this;
  expectEvents(...args: unknown[]): this {
    this.#noError();
    const [first, second] = args;
    const listed = Array.isArray(first);
    const expected = (listed ? first : args) as readonly (ExpectedEvent | NewEvent)[];
    const withMetadata = listed && (second as ExpectEventsOptions | undefined)?.metadata === true;
    const shape = (e: ExpectedEvent | NewEvent | Event) =>
      withMetadata ? { eventType: e.eventType, data: e.data, metadata: e.metadata ?? {} } : { eventType: e.eventType, data: e.data };
    deepStrictEqual(this.events.map(shape), expected.map(shape));
    return this;
  }

  /** Asserts the command succeeded and applied nothing. */
  expectNoEvents(): this {
    return this.expectEvents();
  }

  /**
   * Asserts the command threw: a `code` (an eventuali error code or your error's own `code`), an
   * error class, a message pattern, or a predicate `(error) => boolean` that returns true for it.
   * Nothing is applied when a command throws, so no events are expected either.
   */
  expectError(expected?: ErrorCode | ErrorClass | ErrorPredicate | RegExp): this {
    if (this.error === undefined) {
      throw new AssertionError({ message: `Expected the command to throw, but it applied ${this.events.length} event(s)` });
    }
    const error = this.error;
    if (!matchesError(error, expected)) {
      throw new AssertionError({ message: `The command threw ${String(error)}, not ${String(expected)}`, actual: error, expected });
    }
    return this;
  }

  /** Asserts fields of the aggregate's state after the command. */
  expectState(expected: Partial<Record<keyof T, unknown>>): this {
    this.#noError();
    const actual: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) actual[key] = (this.aggregate as Record<string, unknown>)[key];
    deepStrictEqual(actual, expected);
    return this;
  }

  #noError(): void {
    if (this.error !== undefined) {
      throw new AssertionError({ message: `The command threw: ${String(this.error)}`, actual: this.error });
    }
  }
}

/** An aggregate rebuilt from a history of events, ready for a command. */
export class AggregateScenario<T extends Aggregate> {
  readonly #cls: AggregateClass<T>;
  readonly #id: string | undefined;
  readonly #history: (NewEvent | Event)[] = [];

  /** @internal */
  constructor(cls: AggregateClass<T>, id?: string) {
    this.#cls = cls;
    this.#id = id;
  }

  /** Events the aggregate already has (as if loaded from the store). */
  given(...events: (NewEvent | Event)[]): this {
    this.#history.push(...events);
    return this;
  }

  /** Runs a command on the rebuilt aggregate and records what it applied or threw. */
  async when(command: (aggregate: T) => unknown): Promise<ScenarioOutcome<T>> {
    const aggregate = this.#id === undefined ? new this.#cls() : new this.#cls(this.#id);
    const history: Event[] = this.#history.map((event, i) => ({
      aggregateId: aggregate.id,
      aggregateType: aggregate.aggregateType,
      globalPosition: BigInt(i + 1),
      ...event,
      aggregateVersion: i + 1,
    }));
    aggregateInternals().replay(aggregate, history);
    try {
      await command(aggregate);
    } catch (error) {
      return new ScenarioOutcome(aggregate, [], error ?? new Error(String(error)));
    }
    return new ScenarioOutcome(aggregate, [...aggregate.getUncommittedEvents()], undefined);
  }
}

/**
 * Tests an aggregate's commands without a store: given past events, when a command runs, expect
 * new events (or an error). Works with any test runner: failed expectations throw AssertionError.
 *
 * @example
 * const outcome = await scenario(User).given(UserRegistered.create({ username: 'ann', email: 'a@x.io' }))
 *   .when((user) => user.changeEmail('b@x.io'));
 * outcome.expectEvents({ eventType: 'UserEmailChanged', data: { oldEmail: 'a@x.io', newEmail: 'b@x.io' } });
 */
export function scenario<C extends AggregateClass>(cls: C & CheckedAggregateClass<C>, id?: string): AggregateScenario<InstanceType<C>> {
  return new AggregateScenario(cls as AggregateClass<InstanceType<C>>, id);
}
