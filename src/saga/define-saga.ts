import { describeValue } from '../core/errors.js';
import { checkId } from '../core/event.js';
import { isTimerMs, MAX_TIMER_MS } from '../core/limits.js';
import { checkSchema, type Schema, type SchemaInput, type SchemaOutput } from '../core/schema.js';
import { SagaError } from './saga-errors.js';

/** Results of completed steps by name, when nothing more is known of them. */
export type StepResults = Readonly<Record<string, unknown>>;

/**
 * What a step's `execute` and `compensate` get. In a saga defined inline with `defineSaga`,
 * `results` is typed by the earlier steps' `execute` return types.
 */
export interface StepContext<TInput, TResults = StepResults> {
  readonly sagaId: string;
  readonly sagaName: string;
  readonly stepName: string;
  readonly input: TInput;
  /** Return values of the steps completed before this one, by step name (JSON values after a restart). */
  readonly results: TResults;
  /** Stable per saga and step (and distinct for compensation): pass it to the service you call so a re-run is a no-op. */
  readonly idempotencyKey: string;
  /** The correlation id the saga was started with (its id, when none was given). */
  readonly correlationId: string;
  /** 1, then 2… on retries. */
  readonly attempt: number;
  /** Aborted when the step's `timeoutMs` passes, or the coordinator stops. */
  readonly signal: AbortSignal;
}

export interface SagaStepDefinition<TInput, TName extends string = string, TResult = unknown, TResults = StepResults> {
  name: TName;
  /** Does the step's work; its return value (a JSON value) is kept as the step's result. */
  execute(ctx: StepContext<TInput, TResults>): TResult;
  /** Undoes a completed step when a later one fails (its own result is in `ctx.results` too). A step without it has nothing to undo. */
  compensate?(ctx: StepContext<TInput, TResults & ResultOf<TName, TResult>>): unknown;
  /**
   * Steps run once unless they set this: `attempts` in all, `backoffMs` (default 100, an integer
   * from 0 to 2^31-1) doubling between them; a doubled wait stops growing at 2^31-1 ms.
   */
  retry?: { attempts: number; backoffMs?: number };
  /** Abort `execute` (and count a failed attempt) after this long: an integer from 1 to 2^31-1 ms, Node's longest timer. */
  timeoutMs?: number;
}

/** `{ [name]: result }` of one completed step. */
export type ResultOf<TName extends string, TResult> = { readonly [K in TName]: Awaited<TResult> };

/**
 * The steps of `defineSaga`, typed so that each step's `ctx.results` holds the results of the
 * steps before it: the first 8 steps by name and type; later steps see those 8, the rest untyped.
 */
export type SagaSteps<I, N1 extends string, R1, N2 extends string, R2, N3 extends string, R3, N4 extends string, R4, N5 extends string, R5, N6 extends string, R6, N7 extends string, R7, N8 extends string, R8> = readonly [
  SagaStepDefinition<I, N1, R1, {}>?,
  SagaStepDefinition<I, N2, R2, ResultOf<N1, R1>>?,
  SagaStepDefinition<I, N3, R3, ResultOf<N1, R1> & ResultOf<N2, R2>>?,
  SagaStepDefinition<I, N4, R4, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3>>?,
  SagaStepDefinition<I, N5, R5, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3> & ResultOf<N4, R4>>?,
  SagaStepDefinition<I, N6, R6, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3> & ResultOf<N4, R4> & ResultOf<N5, R5>>?,
  SagaStepDefinition<I, N7, R7, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3> & ResultOf<N4, R4> & ResultOf<N5, R5> & ResultOf<N6, R6>>?,
  SagaStepDefinition<I, N8, R8, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3> & ResultOf<N4, R4> & ResultOf<N5, R5> & ResultOf<N6, R6> & ResultOf<N7, R7>>?,
  ...SagaStepDefinition<I, string, unknown, ResultOf<N1, R1> & ResultOf<N2, R2> & ResultOf<N3, R3> & ResultOf<N4, R4> & ResultOf<N5, R5> & ResultOf<N6, R6> & ResultOf<N7, R7> & ResultOf<N8, R8> & StepResults>[],
];

export interface SagaOptions<TSchema extends Schema, TSteps = readonly SagaStepDefinition<SchemaOutput<TSchema>>[]> {
  /**
   * Validates the input of `start()` (zod or any Standard Schema v1 schema); a failing input is a
   * `SagaError` with code SAGA_INPUT.
   */
  input?: TSchema;
  steps: TSteps;
  /** How compensations are retried before the saga ends `failed` (default 3 attempts, 100 ms doubling; `backoffMs` as a step's). */
  compensationRetry?: { attempts: number; backoffMs?: number };
}

/**
 * A defined saga: steps run in order; on a failure the completed ones are compensated in reverse.
 * `TInput` is what steps get, `TStartInput` what `start()` takes (the input schema's input type).
 */
export interface SagaDefinition<TInput = unknown, TName extends string = string, TStartInput = TInput> {
  readonly name: TName;
  readonly input: Schema<TStartInput, TInput> | undefined;
  readonly steps: readonly SagaStepDefinition<TInput, string, unknown, any>[];
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
export function defineSaga<
  const TName extends string,
  TSchema extends Schema = Schema<unknown>,
  const N1 extends string = string, R1 = unknown,
  const N2 extends string = never, R2 = unknown,
  const N3 extends string = never, R3 = unknown,
  const N4 extends string = never, R4 = unknown,
  const N5 extends string = never, R5 = unknown,
  const N6 extends string = never, R6 = unknown,
  const N7 extends string = never, R7 = unknown,
  const N8 extends string = never, R8 = unknown,
>(
  name: TName,
  options: SagaOptions<TSchema, SagaSteps<SchemaOutput<TSchema>, N1, R1, N2, R2, N3, R3, N4, R4, N5, R5, N6, R6, N7, R7, N8, R8>>,
): SagaDefinition<SchemaOutput<TSchema>, TName, SchemaInput<TSchema>> {
  const fail = (message: string): never => {
    throw new SagaError('SAGA_DEFINITION', `Saga ${JSON.stringify(name)}: ${message}`, { sagaName: name });
  };
  try {
    checkId('saga name', name);
  } catch (error) {
    throw new SagaError('SAGA_DEFINITION', (error as Error).message, {}, { cause: error });
  }
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const steps = options.steps as readonly SagaStepDefinition<SchemaOutput<TSchema>, string, unknown, any>[];
  if (!Array.isArray(steps) || steps.length === 0) fail('needs at least one step');
  const names = new Set<string>();
  for (const step of steps) {
    if (typeof step !== 'object' || step === null || typeof step.name !== 'string' || step.name.length === 0) {
      fail('every step needs a name');
    }
    if (names.has(step.name)) fail(`step ${JSON.stringify(step.name)} appears twice`);
    names.add(step.name);
    if (typeof step.execute !== 'function') fail(`step ${step.name} needs an execute function`);
    if (step.compensate !== undefined && typeof step.compensate !== 'function') fail(`step ${step.name}: compensate must be a function`);
  }
  if (options.input !== undefined) {
    try {
      checkSchema('input', `saga ${JSON.stringify(name)}'s input`, options.input);
    } catch (error) {
      throw new SagaError('SAGA_DEFINITION', `Saga ${JSON.stringify(name)}: ${(error as Error).message}`, { sagaName: name }, { cause: error });
    }
  }
  const retry = options.compensationRetry ?? { attempts: 3 };
  if (typeof retry !== 'object' || retry === null) fail('compensationRetry must be an object { attempts, backoffMs? }');
  const definition = {
    name,
    input: options.input as Schema<SchemaInput<TSchema>, SchemaOutput<TSchema>> | undefined,
    steps: [...steps],
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

