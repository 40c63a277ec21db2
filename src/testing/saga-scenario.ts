import { AssertionError, deepStrictEqual } from 'node:assert';
import { inspect } from 'node:util';
import { InvalidArgumentError } from '../core/errors.js';
import type { Event } from '../core/event.js';
import { EventStore } from '../event-store/event-store.js';
import type { SagaDefinition, SagaStepDefinition, StepContext } from '../saga/define-saga.js';
import { SagaCoordinator } from '../saga/saga-coordinator.js';
import type { SagaState } from '../saga/saga-instance.js';

/** One call of a step's `execute` or `compensate` (one per attempt), with the context the coordinator gave it. */
export interface SagaCall<TInput = unknown> {
  readonly kind: 'execute' | 'compensate';
  readonly step: string;
  readonly ctx: StepContext<TInput>;
  /** What the call threw, when it threw. */
  error?: unknown;
}

/** Replacements for a step's functions; a function left out keeps the step's own (or the fake of `fakeAll()`). */
export interface StepFakes<TInput> {
  execute?: (ctx: StepContext<TInput>) => unknown;
  compensate?: (ctx: StepContext<TInput>) => unknown;
}

interface Failure {
  error: unknown;
  times: number;
}

interface StepPlan<TInput> extends StepFakes<TInput> {
  failExecute?: Failure;
  failCompensate?: Failure;
}

const show = (value: unknown) => inspect(value, { depth: 4, breakLength: 120 });

/** Whether a failure reason is the expected one: equal to a string, or matching a RegExp. */
function reasonMatches(reason: string | null, expected: string | RegExp): boolean {
  return reason !== null && (typeof expected === 'string' ? reason === expected : expected.test(reason));
}

/** What a saga run did: its final state, the calls of its steps in order, and the saga's stored events. */
export class SagaOutcome<TInput = unknown> {
  /** @internal */
  constructor(
    readonly state: SagaState,
    readonly calls: readonly SagaCall<TInput>[],
    readonly events: readonly Event[],
  ) {}

  /** The calls as `'execute <step>'` and `'compensate <step>'`, in the order they were made (one per attempt). */
  get callLog(): string[] {
    return this.calls.map((call) => `${call.kind} ${call.step}`);
  }

  /** Asserts the saga completed; with `results`, that the steps named returned these (as stored: JSON, `undefined` as `null`). */
  expectCompleted(expected: { results?: Record<string, unknown> } = {}): this {
    this.#status('completed');
    if (expected.results) {
      const actual: Record<string, unknown> = {};
      for (const step of Object.keys(expected.results)) actual[step] = this.state.results[step];
      deepStrictEqual(actual, expected.results, `Saga ${this.state.name}: the step results differ`);
    }
    return this;
  }

  /**
   * Asserts the saga ended `compensated`, its completed steps undone in exactly this order (a
   * step without `compensate` counts, with nothing run); optionally which step failed and why
   * (`reason`: the failure's text `'<ErrorName>: <message>'`, or a RegExp).
   */
  expectCompensated(steps: readonly string[], expected: { failedStep?: string; reason?: string | RegExp } = {}): this {
    this.#status('compensated');
    deepStrictEqual(this.state.stepsCompensated, [...steps], `Saga ${this.state.name}: the compensated steps (in order) differ`);
    this.#failure(expected.failedStep, expected.reason);
    return this;
  }

  /**
   * Asserts the saga ended `failed`: a compensation threw on every attempt. `step` is the step
   * whose compensation failed; `reason` the text (`'compensation of <step> failed: …'`) or a RegExp.
   */
  expectFailed(expected: { step?: string; reason?: string | RegExp } = {}): this {
    this.#status('failed');
    this.#failure(expected.step, expected.reason);
    return this;
  }

  /** Asserts exactly these calls were made, in order: `'execute <step>'` or `'compensate <step>'`, one per attempt. */
  expectCalls(expected: readonly string[]): this {
    deepStrictEqual(this.callLog, [...expected], `Saga ${this.state.name}: the calls differ`);
    return this;
  }

  #status(expected: SagaState['status']): void {
    const { state } = this;
    if (state.status === expected) return;
    const failure = state.failedStep === null ? '' : ` (step ${state.failedStep}: ${state.failureReason ?? ''})`;
    throw new AssertionError({
      message: `Expected saga ${state.name} to end ${expected}, but it ended ${state.status}${failure}; calls: ${this.callLog.join(', ') || 'none'}`,
      actual: state.status,
      expected,
    });
  }

  #failure(step: string | undefined, reason: string | RegExp | undefined): void {
    const { state } = this;
    if (step !== undefined && state.failedStep !== step) {
      throw new AssertionError({ message: `Expected saga ${state.name}'s failed step to be ${step}, but it is ${String(state.failedStep)}`, actual: state.failedStep, expected: step });
    }
    if (reason !== undefined && !reasonMatches(state.failureReason, reason)) {
      throw new AssertionError({ message: `Expected saga ${state.name}'s failure reason to match ${show(reason)}, but it is ${show(state.failureReason)}`, actual: state.failureReason, expected: reason });
    }
  }
}

/** A saga with some of its steps replaced by fakes, ready to run through a real coordinator on a memory store. */
export class SagaScenario<TInput = unknown> {
  readonly #saga: SagaDefinition<TInput>;
  readonly #plans = new Map<string, StepPlan<TInput>>();
  #input: unknown = undefined;
  #sagaId: string | undefined;
  #fakeAll = false;
  #timeoutMs = 10_000;

  /** @internal */
  constructor(saga: SagaDefinition<TInput>) {
    if (typeof saga !== 'object' || saga === null || !Array.isArray(saga.steps)) {
      throw new InvalidArgumentError('saga', 'sagaScenario needs a saga made with defineSaga()');
    }
    this.#saga = saga;
  }

  /** The input `start()` is called with (validated by the saga's input schema, as in production). */
  withInput(input: TInput): this {
    this.#input = input;
    return this;
  }

  /** The saga id (default: a new one per run, as `start()` makes). Steps see it as `ctx.sagaId`, in `ctx.idempotencyKey`. */
  withSagaId(sagaId: string): this {
    this.#sagaId = sagaId;
    return this;
  }

  /** How long `run()` waits for the saga to end before failing (default 10 000 ms). */
  withTimeout(timeoutMs: number): this {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new InvalidArgumentError('timeoutMs', `must be a positive integer, got ${show(timeoutMs)}`);
    this.#timeoutMs = timeoutMs;
    return this;
  }

  /** Replaces a step's `execute` and/or `compensate` (giving a step without `compensate` one). */
  stub(step: string, fakes: StepFakes<TInput>): this {
    const plan = this.#plan(step);
    if (typeof fakes !== 'object' || fakes === null) throw new InvalidArgumentError('fakes', 'must be { execute?, compensate? }');
    for (const kind of ['execute', 'compensate'] as const) {
      const fn = fakes[kind];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new InvalidArgumentError(`fakes.${kind}`, `of step ${step} must be a function`);
      plan[kind] = fn;
    }
    return this;
  }

  /**
   * Fakes every step not stubbed: `execute` returns `undefined` (stored as `null`) and
   * `compensate`, where the step has one, does nothing. No real service is called.
   */
  fakeAll(): this {
    this.#fakeAll = true;
    return this;
  }

  /**
   * Makes a step's `execute` throw `error` (default an `Error`), on every attempt or on the first
   * `times` attempts (then the step runs; with the step's `retry`, it can still complete).
   */
  failing(step: string, error: unknown = new Error(`${step} failed`), options: { times?: number } = {}): this {
    this.#plan(step).failExecute = { error, times: checkTimes(options.times) };
    return this;
  }

  /**
   * Makes a step's `compensate` throw `error`, on every attempt (the saga ends `failed` once the
   * saga's `compensationRetry` attempts are spent) or on the first `times` attempts.
   */
  failingCompensation(step: string, error: unknown = new Error(`compensation of ${step} failed`), options: { times?: number } = {}): this {
    this.#plan(step).failCompensate = { error, times: checkTimes(options.times) };
    return this;
  }

  /**
   * Runs the saga to its end through a real `SagaCoordinator` on a fresh memory store, and
   * resolves with the outcome (whatever the status). Retry waits (`backoffMs`) are skipped;
   * attempts, `retryable: false` and timeouts behave as in production. Rejects as `start()` does
   * (an input the schema refuses is a `SagaError` with code `SAGA_INPUT`), and with an
   * `AssertionError` when the saga has not ended within the scenario's timeout.
   */
  async run(): Promise<SagaOutcome<TInput>> {
    const calls: SagaCall<TInput>[] = [];
    const saga = this.#build(calls);
    const store = await EventStore.create('memory:');
    const coordinator = new SagaCoordinator(store, { sagas: [saga as SagaDefinition] });
    const errors: Error[] = [];
    coordinator.on('error', (error) => errors.push(error));
    let finished = false;
    try {
      const sagaId = await coordinator.start(saga.name, this.#input, this.#sagaId === undefined ? {} : { sagaId: this.#sagaId });
      let state: SagaState;
      try {
        state = await coordinator.waitFor(sagaId, { timeoutMs: this.#timeoutMs });
      } catch (error) {
        const log = calls.map((c) => `${c.kind} ${c.step}`).join(', ') || 'none';
        const unexpected = errors.length === 0 ? '' : `; the coordinator reported ${errors.map(String).join('; ')}`;
        throw new AssertionError({
          message: `Saga ${saga.name} did not end within ${this.#timeoutMs} ms (calls so far: ${log}${unexpected}): ${String(error)}`,
        });
      }
      finished = true;
      const events = await store.loadEvents(sagaId);
      return new SagaOutcome(state, calls, events);
    } finally {
      // A step that never settles would keep stop() waiting: stop without waiting then.
      if (finished) await coordinator.stop();
      else void coordinator.stop();
      await store.close();
    }
  }

  /** Runs the saga and asserts it completed: `(await run()).expectCompleted(expected)`. */
  async expectCompleted(expected?: { results?: Record<string, unknown> }): Promise<SagaOutcome<TInput>> {
    return (await this.run()).expectCompleted(expected);
  }

  /** Runs the saga and asserts it was compensated in this order: `(await run()).expectCompensated(steps, expected)`. */
  async expectCompensated(steps: readonly string[], expected?: { failedStep?: string; reason?: string | RegExp }): Promise<SagaOutcome<TInput>> {
    return (await this.run()).expectCompensated(steps, expected);
  }

  /** Runs the saga and asserts it ended `failed` (a compensation failed): `(await run()).expectFailed(expected)`. */
  async expectFailed(expected?: { step?: string; reason?: string | RegExp }): Promise<SagaOutcome<TInput>> {
    return (await this.run()).expectFailed(expected);
  }

  #plan(step: string): StepPlan<TInput> {
    if (!this.#saga.steps.some((s) => s.name === step)) {
      const names = this.#saga.steps.map((s) => s.name).join(', ');
      throw new InvalidArgumentError('step', `saga ${this.#saga.name} has no step ${JSON.stringify(step)} (its steps: ${names})`);
    }
    let plan = this.#plans.get(step);
    if (!plan) this.#plans.set(step, (plan = {}));
    return plan;
  }

  /** The saga with every step function recording its calls, fakes and failures in place, and no retry waits. */
  #build(calls: SagaCall<TInput>[]): SagaDefinition<TInput> {
    const steps = this.#saga.steps.map((step): SagaStepDefinition<TInput> => {
      const plan = this.#plans.get(step.name) ?? {};
      const execute = plan.execute ?? (this.#fakeAll ? () => undefined : step.execute.bind(step));
      const ownCompensate = step.compensate?.bind(step);
      const compensate = plan.compensate ?? (ownCompensate && this.#fakeAll ? () => undefined : ownCompensate);
      if (plan.failCompensate && !compensate) {
        throw new InvalidArgumentError('step', `step ${step.name} of saga ${this.#saga.name} has no compensate to fail (stub one)`);
      }
      const wrapped: SagaStepDefinition<TInput> = {
        ...step,
        execute: recorder('execute', step.name, execute, plan.failExecute, calls),
        ...(step.retry ? { retry: { ...step.retry, backoffMs: 0 } } : {}),
      };
      if (compensate) wrapped.compensate = recorder('compensate', step.name, compensate, plan.failCompensate, calls);
      return wrapped;
    });
    return { ...this.#saga, steps, compensationRetry: { ...this.#saga.compensationRetry, backoffMs: 0 } };
  }
}

function checkTimes(times: number | undefined): number {
  if (times === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(times) || times < 1) throw new InvalidArgumentError('times', `must be a positive integer, got ${show(times)}`);
  return times;
}

function recorder<TInput>(
  kind: SagaCall['kind'],
  step: string,
  fn: (ctx: StepContext<TInput>) => unknown,
  failure: Failure | undefined,
  calls: SagaCall<TInput>[],
): (ctx: StepContext<TInput>) => Promise<unknown> {
  let attempts = 0;
  return async (ctx) => {
    const call: SagaCall<TInput> = { kind, step, ctx };
    calls.push(call);
    attempts += 1;
    try {
      if (failure && attempts <= failure.times) throw failure.error;
      return await fn(ctx);
    } catch (error) {
      call.error = error;
      throw error;
    }
  };
}

/**
 * Tests a saga without a database or coordinator set-up: replace steps by fakes, make steps or
 * compensations fail, and assert how the saga ended and which calls it made, in order. The saga
 * runs through a real `SagaCoordinator` on a fresh memory store, so each step gets the `ctx` the
 * coordinator builds (`input`, `sagaId`, `results`, `idempotencyKey`, `attempt`, `signal`), and
 * retries, `retryable: false`, timeouts and the statuses `completed`, `compensated` and `failed`
 * are the real ones. Failed expectations throw Node's `AssertionError`.
 *
 * @example
 * const outcome = await sagaScenario(orderSaga)
 *   .withInput({ orderId: 'o-1', amountCents: 500 })
 *   .fakeAll()
 *   .failing('payment_processed', new PaymentDeclined('card declined'))
 *   .expectCompensated(['inventory_reserved'], { failedStep: 'payment_processed' });
 * outcome.expectCalls(['execute inventory_reserved', 'execute payment_processed', 'compensate inventory_reserved']);
 */
export function sagaScenario<TInput>(saga: SagaDefinition<TInput>): SagaScenario<TInput> {
  return new SagaScenario(saga);
}
