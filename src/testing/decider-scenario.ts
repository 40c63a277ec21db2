import { AssertionError, deepStrictEqual } from 'node:assert';
import { decideEvents, deciderEventTypes, evolveAll, type DecidedEventOf, type Decider } from '../core/decider.js';
import type { Event, EventDefinition, NewEvent } from '../core/event.js';
import type { ExpectedEvent } from './aggregate-scenario.js';
import { assertThrown, type ErrorExpectation } from './error-matcher.js';

/**
 * What `decide` did with the command: the events it returned, or the error it threw. Assertions
 * throw AssertionError. Synchronous: do not `await` it (its `then` is the assertion, not a Promise's).
 */
export class DeciderOutcome<TEvent> {
  readonly #events: readonly NewEvent[];
  readonly #error: unknown;
  readonly #threw: boolean;

  /** @internal */
  constructor(events: readonly NewEvent[], error: unknown, threw: boolean) {
    this.#events = events;
    this.#error = error;
    this.#threw = threw;
  }

  /** Asserts `decide` returned exactly these events (type and data), in order; `[]` for none. */
  then(expected: readonly (TEvent | ExpectedEvent)[]): void {
    if (typeof expected === 'function') {
      throw new TypeError('deciderScenario(...).when() is synchronous: call .then(events) on its result instead of awaiting it');
    }
    if (this.#threw) throw new AssertionError({ message: `The command threw: ${String(this.#error)}`, actual: this.#error });
    deepStrictEqual(
      this.#events.map((e) => ({ eventType: e.eventType, data: e.data })),
      (expected as readonly ExpectedEvent[]).map((e) => ({ eventType: e.eventType, data: e.data })),
    );
  }

  /** Asserts `decide` threw: an error class, a `code`, a predicate over the error, or a message pattern. */
  thenThrows(expected?: ErrorExpectation): void {
    assertThrown(this.#error, this.#threw, expected, `returned ${this.#events.length} event(s)`);
  }
}

/** A decider's state rebuilt from past events, ready for a command. */
export class DeciderScenario<TCommand, TState, TEvents extends readonly EventDefinition[]> {
  readonly #decider: Decider<TCommand, TState, TEvents>;
  readonly #history: readonly (NewEvent | Event)[];

  /** @internal */
  constructor(decider: Decider<TCommand, TState, TEvents>, history: readonly (NewEvent | Event)[]) {
    deciderEventTypes(decider);
    this.#decider = decider;
    this.#history = history;
  }

  /** Events the stream already has, oldest first (as `X.create(...)` makes them). */
  given(events: readonly DecidedEventOf<TEvents>[]): DeciderScenario<TCommand, TState, TEvents> {
    return new DeciderScenario(this.#decider, [...this.#history, ...(events as readonly NewEvent[])]);
  }

  /** Runs `decide` with the command on the state the history evolves to, and records what it returned or threw. */
  when(command: TCommand): DeciderOutcome<DecidedEventOf<TEvents>> {
    const decider = this.#decider as unknown as Decider;
    const streamId = 'scenario';
    const history: Event[] = this.#history.map((event, i) => ({
      aggregateId: streamId,
      aggregateType: decider.streamType,
      globalPosition: BigInt(i + 1),
      ...event,
      aggregateVersion: i + 1,
    }));
    // A history the decider cannot evolve is the test's mistake: it throws here, not as the outcome.
    const state = evolveAll(decider, decider.initialState(), history);
    try {
      return new DeciderOutcome(decideEvents(decider, command, state), undefined, false);
    } catch (error) {
      return new DeciderOutcome([], error, true);
    }
  }
}

/**
 * Tests a decider without a store: given past events, when a command is decided, then these new
 * events (or `thenThrows`). Works with any test runner: failed expectations throw AssertionError.
 *
 * @example
 * deciderScenario(Cart)
 *   .given([ItemAdded.create({ sku: 'book', quantity: 1 })])
 *   .when({ type: 'confirm' })
 *   .then([{ eventType: 'CartConfirmed', data: {} }]);
 * deciderScenario(Cart).given([]).when({ type: 'confirm' }).thenThrows(CartError);
 */
export function deciderScenario<TCommand, TState, TEvents extends readonly EventDefinition[]>(
  decider: Decider<TCommand, TState, TEvents>,
): DeciderScenario<TCommand, TState, TEvents> {
  return new DeciderScenario(decider, []);
}
