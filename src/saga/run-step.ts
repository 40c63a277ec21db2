import { MAX_TIMER_MS } from '../core/limits.js';
import { toError } from '../streaming/durable/subscription-errors.js';
import { SagaError } from './saga-errors.js';
import type { StepContext } from './define-saga.js';

export type StepOutcome<T> = { ok: true; value: T } | { ok: false; error: Error; attempts: number } | { ok: 'halted' };

export interface StepRun<TInput> {
  context: Omit<StepContext<TInput>, 'attempt' | 'signal'>;
  fn: (ctx: StepContext<TInput>) => unknown;
  attempts: number;
  backoffMs: number;
  timeoutMs: number | undefined;
  /** Aborted when the coordinator stops: no new attempt starts. */
  stopping: AbortSignal;
}

/** Runs a step function with its retries and timeout. Never throws. */
export async function runStep<TInput>(run: StepRun<TInput>): Promise<StepOutcome<unknown>> {
  let lastError: Error = new Error('not run');
  for (let attempt = 1; attempt <= run.attempts; attempt++) {
    if (run.stopping.aborted) return { ok: 'halted' };
    const controller = new AbortController();
    const onStop = () => controller.abort(new SagaError('SAGA_STOPPED', 'the coordinator is stopping'));
    run.stopping.addEventListener('abort', onStop, { once: true });
    try {
      const value = await withTimeout(
        () => run.fn({ ...run.context, attempt, signal: controller.signal }),
        run.timeoutMs,
        controller,
        run.context.stepName,
      );
      return { ok: true, value };
    } catch (error) {
      // Aborted by stop(): not a failure of the step; the saga halts and recover() runs it again.
      if (run.stopping.aborted) return { ok: 'halted' };
      lastError = toError(error);
      if ((error as { retryable?: unknown } | null)?.retryable === false) return { ok: false, error: lastError, attempts: attempt };
    } finally {
      run.stopping.removeEventListener('abort', onStop);
    }
    if (attempt < run.attempts) {
      // Doubling stops at Node's longest timer: a longer one would fire after 1 ms.
      await sleep(Math.min(MAX_TIMER_MS, run.backoffMs * 2 ** (attempt - 1)), run.stopping);
    }
  }
  return { ok: false, error: lastError, attempts: run.attempts };
}

async function withTimeout<T>(fn: () => T, timeoutMs: number | undefined, controller: AbortController, step: string): Promise<Awaited<T>> {
  if (timeoutMs === undefined) return await fn();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SagaError('SAGA_TIMEOUT', `step ${step} did not finish within ${timeoutMs} ms`, { step });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
