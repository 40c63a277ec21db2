import { letEventLoopTurn } from '../core/event-loop.js';
import { ConcurrencyError } from '../core/errors.js';
import type { EventStore } from '../event-store/event-store.js';
import type { SagaDefinition, SagaStepDefinition, StepContext } from './define-saga.js';
import {
  SagaCompensated,
  SagaCompensationStarted,
  SagaCompleted,
  SagaFailed,
  SagaStepCompensated,
  SagaStepCompleted,
  SagaStepFailed,
} from './saga-events.js';
import type { SagaInstance, SagaState } from './saga-instance.js';
import { runStep, type StepRun } from './run-step.js';
import type { FailSpan, SagaTelemetry } from '../observability/saga-telemetry.js';

/** What a running saga tells its coordinator. */
export interface SagaRunEvents {
  step(info: { sagaId: string; step: string; kind: 'completed' | 'failed' | 'compensated' }): void;
}

export interface SagaRun<TInput> {
  store: EventStore;
  definition: SagaDefinition<TInput>;
  instance: SagaInstance;
  input: TInput;
  correlationId: string;
  stopping: AbortSignal;
  events: SagaRunEvents;
  telemetry: SagaTelemetry;
}


/**
 * Drives a saga from its stored state to an end: the next step, or the next compensation. Every
 * transition is saved before the next action, expecting the saga's version, so a coordinator that
 * lost the saga to another one stops at its next save. Returns the final state, or null when it
 * halted (stop) or lost the saga.
 */
export async function runSaga<TInput>(run: SagaRun<TInput>): Promise<SagaState | null> {
  const { instance } = run;
  try {
    while (!instance.finished) {
      if (run.stopping.aborted) return null;
      // Sagas whose steps never wait for I/O would otherwise keep the lease timer from firing.
      const turn = letEventLoopTurn();
      if (turn) await turn;
      const advanced =
        instance.status === 'running' ? await executeNext(run) : await compensateNext(run);
      if (!advanced) return null;
    }
    return instance.toState();
  } catch (error) {
    if (error instanceof ConcurrencyError) return null;
    throw error;
  }
}

function contextFor<TInput>(run: SagaRun<TInput>, step: SagaStepDefinition<TInput>, suffix = ''): Omit<StepContext<TInput>, 'attempt' | 'signal'> {
  const results: Record<string, unknown> = {};
  for (const { step: name, result } of run.instance.completed) results[name] = result;
  return {
    sagaId: run.instance.id,
    sagaName: run.definition.name,
    stepName: step.name,
    input: run.input,
    results,
    idempotencyKey: `${run.instance.id}:${step.name}${suffix}`,
    correlationId: run.correlationId,
  };
}

const metadata = (run: SagaRun<unknown>) => ({ metadata: { correlationId: run.correlationId } });

function spanInfo<TInput>(run: SagaRun<TInput>, step: string): { sagaId: string; sagaName: string; step: string } {
  return { sagaId: run.instance.id, sagaName: run.definition.name, step };
}

async function executeNext<TInput>(run: SagaRun<TInput>): Promise<boolean> {
  const { instance, definition } = run;
  const step = definition.steps[instance.completed.length];
  if (!step) {
    instance.record(SagaCompleted.create({}, metadata(run as SagaRun<unknown>)));
    await run.store.save(instance);
    return true;
  }
  return run.telemetry.step('step', spanInfo(run, step.name), instance.traceContext, (fail) => executeStep(run, step, fail));
}

/** Runs the step and saves its outcome (in the step's span, so the saves are its children). */
async function executeStep<TInput>(run: SagaRun<TInput>, step: SagaStepDefinition<TInput>, fail: FailSpan): Promise<boolean> {
  const { instance, definition } = run;
  const outcome = await runStep({
    context: contextFor(run, step),
    fn: step.execute,
    attempts: step.retry?.attempts ?? 1,
    backoffMs: step.retry?.backoffMs ?? 100,
    timeoutMs: step.timeoutMs,
    stopping: run.stopping,
  });
  if (outcome.ok === 'halted') return false;
  const meta = metadata(run as SagaRun<unknown>);
  if (outcome.ok) {
    instance.record(SagaStepCompleted.create({ step: step.name, result: toJsonValue(outcome.value) }, meta));
    // The last step's completion and the saga's end share one write.
    if (instance.completed.length === definition.steps.length) instance.record(SagaCompleted.create({}, meta));
    await run.store.save(instance);
    run.events.step({ sagaId: instance.id, step: step.name, kind: 'completed' });
    return true;
  }
  fail(outcome.error);
  run.telemetry.stepFailed({ ...spanInfo(run, step.name), attempts: outcome.attempts }, outcome.error);
  const reason = `${outcome.error.name}: ${outcome.error.message}`;
  instance.record(SagaStepFailed.create({ step: step.name, error: reason, attempts: outcome.attempts }, meta));
  instance.record(SagaCompensationStarted.create({ failedStep: step.name, reason }, meta));
  const undone = recordNothingToUndo(run);
  await run.store.save(instance);
  run.events.step({ sagaId: instance.id, step: step.name, kind: 'failed' });
  for (const name of undone) run.events.step({ sagaId: instance.id, step: name, kind: 'compensated' });
  return true;
}

/** Completed steps not compensated yet, in completion order (compensation takes them from the end). */
function pendingCompensation(instance: SagaInstance): string[] {
  return instance.completed.map((c) => c.step).filter((name) => !instance.compensated.includes(name));
}

/**
 * Records as compensated the pending steps at the top of the compensation order that have no
 * `compensate` (nothing runs for them), and the saga's end when none is left. They share the write
 * of the transition before them: with no action in between, a crash before that write loses
 * nothing a restart would not redo the same way. Returns the steps recorded.
 */
function recordNothingToUndo<TInput>(run: SagaRun<TInput>): string[] {
  const { instance, definition } = run;
  const meta = metadata(run as SagaRun<unknown>);
  const pending = pendingCompensation(instance);
  const undone: string[] = [];
  for (let i = pending.length - 1; i >= 0; i--) {
    const name = pending[i] as string;
    if (definition.steps.find((s) => s.name === name)?.compensate) break;
    instance.record(SagaStepCompensated.create({ step: name }, meta));
    undone.push(name);
  }
  if (undone.length === pending.length) instance.record(SagaCompensated.create({}, meta));
  return undone;
}

async function compensateNext<TInput>(run: SagaRun<TInput>): Promise<boolean> {
  const { instance, definition } = run;
  const meta = metadata(run as SagaRun<unknown>);
  const name = pendingCompensation(instance).at(-1);
  const step = name === undefined ? undefined : definition.steps.find((s) => s.name === name);
  const compensate = step?.compensate;
  if (name === undefined || step === undefined || compensate === undefined) {
    // Nothing to run next: a saga stored by an earlier version (a write per step without
    // compensate), or whose definition changed since. Record what is left in one write.
    const undone = recordNothingToUndo(run);
    await run.store.save(instance);
    for (const undoneName of undone) run.events.step({ sagaId: instance.id, step: undoneName, kind: 'compensated' });
    return true;
  }
  return run.telemetry.step('compensate', spanInfo(run, name), instance.traceContext, (fail) => compensateStep(run, step, compensate, fail));
}

/** Runs a step's compensation and saves its outcome (in the compensation's span). */
async function compensateStep<TInput>(
  run: SagaRun<TInput>,
  step: SagaStepDefinition<TInput>,
  compensate: StepRun<TInput>['fn'],
  fail: FailSpan,
): Promise<boolean> {
  const { instance, definition } = run;
  const { name } = step;
  const meta = metadata(run as SagaRun<unknown>);
  const outcome = await runStep({
    context: contextFor(run, step, ':compensate'),
    fn: compensate,
    attempts: definition.compensationRetry.attempts,
    backoffMs: definition.compensationRetry.backoffMs,
    timeoutMs: step.timeoutMs,
    stopping: run.stopping,
  });
  if (outcome.ok === 'halted') return false;
  if (!outcome.ok) {
    fail(outcome.error);
    run.telemetry.compensationFailed(spanInfo(run, name), outcome.error);
    const reason = `compensation of ${name} failed: ${outcome.error.name}: ${outcome.error.message}`;
    instance.record(SagaFailed.create({ reason, step: name }, meta));
    await run.store.save(instance);
    return true;
  }
  instance.record(SagaStepCompensated.create({ step: name }, meta));
  // The steps below it with nothing to undo share this write.
  const undone = recordNothingToUndo(run);
  await run.store.save(instance);
  for (const undoneName of [name, ...undone]) run.events.step({ sagaId: instance.id, step: undoneName, kind: 'compensated' });
  return true;
}

/** Step results are stored as JSON: undefined becomes null, other values as JSON.stringify keeps them. */
function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
  } catch {
    return String(value);
  }
}
