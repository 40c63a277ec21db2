import type { z } from 'zod';
import { describeValue } from '../core/errors.js';
import { checkId } from '../core/event.js';
import { isTimerMs, MAX_TIMER_MS } from '../core/limits.js';
import { SagaError } from './saga-errors.js';

/** What a step's `execute` and `compensate` get. */
export interface StepContext<TInput> {
  readonly sagaId: string;
  readonly sagaName: string;
  readonly stepName: string;
  readonly input: TInput;
  /** Return values of the steps completed before this one, by step name (JSON values after a restart). */
  readonly results: Readonly<Record<string, unknown>>;
  /** Stable per saga and step (and distinct for compensation): pass it to the service you call so a re-run is a no-op. */
  readonly idempotencyKey: string;
  /** The correlation id the saga was started with (its id, when none was given). */
  readonly correlationId: string;
  /** 1, then 2… on retries. */
  readonly attempt: number;
  /** Aborted when the step's `timeoutMs` passes, or the coordinator stops. */
  readonly signal: AbortSignal;
}

export interface SagaStepDefinition<TInput> {
  name: string;
  /** Does the step's work; its return value (a JSON value) is kept as the step's result. */
  execute(ctx: StepContext<TInput>): unknown;
  /** Undoes a completed step when a later one fails. A step without it has nothing to undo. */
  compensate?(ctx: StepContext<TInput>): unknown;
  /**
   * Steps run once unless they set this: `attempts` in all, `backoffMs` (default 100, an integer
   * from 0 to 2^31-1) doubling between them; a doubled wait stops growing at 2^31-1 ms.
   */
  retry?: { attempts: number; backoffMs?: number };
  /** Abort `execute` (and count a failed attempt) after this long: an integer from 1 to 2^31-1 ms, Node's longest timer. */
  timeoutMs?: number;
}

export interface SagaOptions<TSchema extends z.ZodType> {
  /** Validates the input of `start()`; a failing input is a `SagaError` with code SAGA_INPUT. */
  input?: TSchema;
  steps: readonly SagaStepDefinition<z.output<TSchema>>[];
  /** How compensations are retried before the saga ends `failed` (default 3 attempts, 100 ms doubling; `backoffMs` as a step's). */
  compensationRetry?: { attempts: number; backoffMs?: number };
}

/** A defined saga: steps run in order; on a failure the completed ones are compensated in reverse. */
export interface SagaDefinition<TInput = unknown> {
  readonly name: string;
  readonly input: z.ZodType<TInput> | undefined;
  readonly steps: readonly SagaStepDefinition<TInput>[];
  readonly compensationRetry: { attempts: number; backoffMs: number };
}

/**
 * Defines a saga.
 *
 * @example
 * const orderSaga = defineSaga('order-processing', {
 *   input: z.object({ orderId: z.string(), amount: z.string() }),
 *   steps: [
 *     { name: 'inventory_reserved', execute: (ctx) => inventory.reserve(ctx.input.orderId, ctx.idempotencyKey),
 *       compensate: (ctx) => inventory.release(ctx.input.orderId) },
 *     { name: 'payment_processed', execute: (ctx) => payments.charge(ctx.input, ctx.idempotencyKey),
 *       compensate: (ctx) => payments.refund(ctx.input.orderId), retry: { attempts: 3, backoffMs: 200 } },
 *     { name: 'order_confirmed', execute: (ctx) => orders.confirm(ctx.input.orderId) },
 *   ],
 * });
 */
export function defineSaga<TSchema extends z.ZodType = z.ZodType<unknown>>(
  name: string,
  options: SagaOptions<TSchema>,
): SagaDefinition<z.output<TSchema>> {
  const fail = (message: string): never => {
    throw new SagaError('SAGA_DEFINITION', `Saga ${JSON.stringify(name)}: ${message}`, { sagaName: name });
  };
  try {
    checkId('saga name', name);
  } catch (error) {
    throw new SagaError('SAGA_DEFINITION', (error as Error).message, {}, { cause: error });
  }
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  if (!Array.isArray(options.steps) || options.steps.length === 0) fail('needs at least one step');
  const names = new Set<string>();
  for (const step of options.steps) {
    if (typeof step !== 'object' || step === null || typeof step.name !== 'string' || step.name.length === 0) {
      fail('every step needs a name');
    }
    if (names.has(step.name)) fail(`step ${JSON.stringify(step.name)} appears twice`);
    names.add(step.name);
    if (typeof step.execute !== 'function') fail(`step ${step.name} needs an execute function`);
    if (step.compensate !== undefined && typeof step.compensate !== 'function') fail(`step ${step.name}: compensate must be a function`);
  }
  if (options.input !== undefined && typeof (options.input as { safeParse?: unknown }).safeParse !== 'function') {
    fail('input must be a zod schema');
  }
  const retry = options.compensationRetry ?? { attempts: 3 };
  if (typeof retry !== 'object' || retry === null) fail('compensationRetry must be an object { attempts, backoffMs? }');
  const definition = {
    name,
    input: options.input as z.ZodType<z.output<TSchema>> | undefined,
    steps: [...options.steps],
    compensationRetry: { attempts: retry.attempts, backoffMs: retry.backoffMs ?? 100 },
  };
  checkSagaTimers(definition);
  return definition;
}

/**
 * @internal throws SAGA_DEFINITION unless every retry and timeout of the saga is one Node's timers
 * keep. defineSaga checks it, and the coordinator again (a step object can change after defineSaga).
 */
export function checkSagaTimers(definition: SagaDefinition<unknown>): void {
  const fail = (message: string): never => {
    throw new SagaError('SAGA_DEFINITION', `Saga ${JSON.stringify(definition.name)}: ${message}`, { sagaName: definition.name });
  };
  if (!Array.isArray(definition.steps)) fail('needs its steps (define it with defineSaga)');
  for (const step of definition.steps) {
    if (step.retry !== undefined) checkRetry(`step ${step.name}: retry`, step.retry, fail);
    if (step.timeoutMs !== undefined && !isTimerMs(step.timeoutMs, 1)) {
      fail(`step ${step.name}: timeoutMs must be an integer from 1 to ${MAX_TIMER_MS} ms, got ${describeValue(step.timeoutMs)}`);
    }
  }
  checkRetry('compensationRetry', definition.compensationRetry, fail);
}


function checkRetry(what: string, retry: unknown, fail: (message: string) => never): void {
  if (typeof retry !== 'object' || retry === null) fail(`${what} must be an object { attempts, backoffMs? }`);
  const { attempts, backoffMs } = retry as { attempts?: unknown; backoffMs?: unknown };
  if (!(typeof attempts === 'number' && Number.isSafeInteger(attempts) && attempts >= 1)) {
    fail(`${what}.attempts must be a positive integer, got ${describeValue(attempts)}`);
  }
  // null, like undefined, means the default (the runner reads it with ??).
  if (backoffMs != null && !isTimerMs(backoffMs, 0)) {
    fail(`${what}.backoffMs must be an integer from 0 to ${MAX_TIMER_MS} ms, got ${describeValue(backoffMs)}`);
  }
}

