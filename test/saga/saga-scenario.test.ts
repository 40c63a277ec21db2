import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSaga, type StepContext } from '../../src/index.js';
import { sagaScenario } from '../../src/testing.js';

type Input = { orderId: string; amountCents: number };

class Declined extends Error {
  override name = 'Declined';
  readonly retryable = false;
}

/** An order saga whose real steps write to `log`: the scenario must run them unless faked. */
function orderSaga(log: string[] = [], options: { paymentRetry?: number; timeoutMs?: number } = {}) {
  return defineSaga('order', {
    input: z.object({ orderId: z.string().min(1), amountCents: z.number().int().positive() }),
    steps: [
      {
        name: 'reserveInventory',
        execute: (ctx: StepContext<Input>) => {
          log.push(`reserve ${ctx.input.orderId}`);
          return { reservationId: `r-${ctx.input.orderId}` };
        },
        compensate: () => void log.push('release'),
      },
      {
        name: 'processPayment',
        execute: (ctx: StepContext<Input>) => {
          log.push(`charge ${ctx.input.amountCents}`);
          return { paymentId: 'p-1' };
        },
        compensate: () => void log.push('refund'),
        ...(options.paymentRetry ? { retry: { attempts: options.paymentRetry, backoffMs: 60_000 } } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      },
      { name: 'confirmOrder', execute: () => void log.push('confirm') },
    ],
  });
}

const input: Input = { orderId: 'o-1', amountCents: 500 };

/** Runs `fn` and returns the AssertionError it throws (failing when it throws none, or another error). */
function assertionFrom(fn: () => unknown): AssertionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AssertionError);
    return error as AssertionError;
  }
  throw new Error('expected an AssertionError, nothing was thrown');
}

describe('sagaScenario: runs a saga through a real coordinator on a memory store', () => {
  it('runs the real steps in order and asserts completion, results and calls', async () => {
    const log: string[] = [];
    const outcome = await sagaScenario(orderSaga(log))
      .withInput(input)
      .expectCompleted({ results: { reserveInventory: { reservationId: 'r-o-1' }, confirmOrder: null } });
    expect(log).toEqual(['reserve o-1', 'charge 500', 'confirm']);
    outcome.expectCalls(['execute reserveInventory', 'execute processPayment', 'execute confirmOrder']);
    expect(outcome.state).toMatchObject({ status: 'completed', stepsCompleted: ['reserveInventory', 'processPayment', 'confirmOrder'] });
    expect(outcome.events.map((e) => e.eventType).at(-1)).toBe('eventuali.SagaCompleted');
  });

  it('gives each step the context the coordinator builds', async () => {
    const outcome = await sagaScenario(orderSaga()).withInput(input).withSagaId('saga-1').fakeAll().run();
    const [first, second] = outcome.calls;
    expect(first!.ctx).toMatchObject({ sagaId: 'saga-1', sagaName: 'order', stepName: 'reserveInventory', input, results: {}, attempt: 1 });
    expect(first!.ctx.idempotencyKey).toBe('saga-1:reserveInventory');
    expect(first!.ctx.signal).toBeInstanceOf(AbortSignal);
    expect(second!.ctx.results).toEqual({ reserveInventory: null });
    expect(second!.ctx.correlationId).toBe('saga-1');
  });

  it('compensates the completed steps in reverse order when a step fails', async () => {
    const log: string[] = [];
    const outcome = await sagaScenario(orderSaga(log))
      .withInput(input)
      .withSagaId('saga-2')
      .failing('confirmOrder', new Error('order service down'))
      .expectCompensated(['processPayment', 'reserveInventory'], { failedStep: 'confirmOrder', reason: 'Error: order service down' });
    expect(log).toEqual(['reserve o-1', 'charge 500', 'refund', 'release']);
    outcome.expectCalls([
      'execute reserveInventory',
      'execute processPayment',
      'execute confirmOrder',
      'compensate processPayment',
      'compensate reserveInventory',
    ]);
    const compensation = outcome.calls.find((c) => c.kind === 'compensate')!;
    expect(compensation.ctx.idempotencyKey).toBe('saga-2:processPayment:compensate');
    expect(compensation.ctx.results).toEqual({ reserveInventory: { reservationId: 'r-o-1' }, processPayment: { paymentId: 'p-1' } });
    expect(outcome.calls[2]!.error).toMatchObject({ message: 'order service down' });
  });

  it('replaces steps by stubs and fakes, calling no real step', async () => {
    const log: string[] = [];
    const outcome = await sagaScenario(orderSaga(log))
      .withInput(input)
      .fakeAll()
      .stub('processPayment', { execute: (ctx) => ({ paymentId: `fake-${ctx.input.orderId}` }) })
      .expectCompleted({ results: { reserveInventory: null, processPayment: { paymentId: 'fake-o-1' } } });
    expect(log).toEqual([]);
    expect(outcome.callLog).toHaveLength(3);
  });

  it('stubs a compensation, and gives one to a step that had none', async () => {
    const undone: string[] = [];
    await sagaScenario(orderSaga())
      .withInput(input)
      .fakeAll()
      .stub('reserveInventory', { compensate: (ctx) => void undone.push(ctx.stepName) })
      .stub('confirmOrder', { compensate: () => void undone.push('never: confirmOrder did not complete') })
      .failing('confirmOrder')
      .expectCompensated(['processPayment', 'reserveInventory'], { reason: 'Error: confirmOrder failed' });
    expect(undone).toEqual(['reserveInventory']);
  });

  it('retries a step as its retry says (without the waits), and completes when a later attempt succeeds', async () => {
    const outcome = await sagaScenario(orderSaga([], { paymentRetry: 3 }))
      .withInput(input)
      .fakeAll()
      .failing('processPayment', new Error('timeout'), { times: 2 })
      .expectCompleted();
    outcome.expectCalls(['execute reserveInventory', 'execute processPayment', 'execute processPayment', 'execute processPayment', 'execute confirmOrder']);
    expect(outcome.calls.filter((c) => c.step === 'processPayment').map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
  });

  it('does not retry an error marked retryable: false', async () => {
    const outcome = await sagaScenario(orderSaga([], { paymentRetry: 3 }))
      .withInput(input)
      .fakeAll()
      .failing('processPayment', new Declined('card declined'))
      .expectCompensated(['reserveInventory'], { failedStep: 'processPayment', reason: 'Declined: card declined' });
    outcome.expectCalls(['execute reserveInventory', 'execute processPayment', 'compensate reserveInventory']);
  });

  it('times a step out as the coordinator does, aborting its signal', async () => {
    let signal: AbortSignal | undefined;
    const outcome = await sagaScenario(orderSaga([], { timeoutMs: 20 }))
      .withInput(input)
      .fakeAll()
      .stub('processPayment', {
        execute: (ctx) =>
          new Promise((_, reject) => {
            signal = ctx.signal;
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      })
      .expectCompensated(['reserveInventory'], { failedStep: 'processPayment', reason: /did not finish within 20 ms/ });
    expect(signal?.aborted).toBe(true);
    expect(outcome.state.failureReason).toMatch(/^SagaError/);
  });

  it('ends failed when a compensation fails on every attempt (compensationRetry)', async () => {
    const outcome = await sagaScenario(orderSaga())
      .withInput(input)
      .fakeAll()
      .failing('confirmOrder')
      .failingCompensation('processPayment', new Error('refund refused'))
      .expectFailed({ step: 'processPayment', reason: 'compensation of processPayment failed: Error: refund refused' });
    // The default compensationRetry: 3 attempts; the saga stops there, reserveInventory stays reserved.
    outcome.expectCalls([
      'execute reserveInventory',
      'execute processPayment',
      'execute confirmOrder',
      'compensate processPayment',
      'compensate processPayment',
      'compensate processPayment',
    ]);
    expect(outcome.state.stepsCompensated).toEqual([]);
  });

  it('recovers from a compensation that fails once', async () => {
    await sagaScenario(orderSaga())
      .withInput(input)
      .fakeAll()
      .failing('confirmOrder')
      .failingCompensation('processPayment', new Error('busy'), { times: 1 })
      .expectCompensated(['processPayment', 'reserveInventory']);
  });

  it('rejects as start() does for an input the schema refuses', async () => {
    await expect(sagaScenario(orderSaga()).withInput({ orderId: '', amountCents: 1 }).run()).rejects.toMatchObject({ code: 'SAGA_INPUT' });
    await expect(sagaScenario(orderSaga()).run()).rejects.toMatchObject({ code: 'SAGA_INPUT' });
  });

  it('refuses an unknown step name, a bad times, and failing a compensation that does not exist', async () => {
    expect(() => sagaScenario(orderSaga()).failing('processPaymnet')).toThrow(/has no step "processPaymnet" \(its steps: reserveInventory, processPayment, confirmOrder\)/);
    expect(() => sagaScenario(orderSaga()).stub('nope', {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sagaScenario(orderSaga()).failing('confirmOrder', new Error('x'), { times: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sagaScenario(orderSaga()).stub('confirmOrder', { execute: 'x' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => sagaScenario({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    await expect(sagaScenario(orderSaga()).withInput(input).failingCompensation('confirmOrder').run()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('confirmOrder of saga order has no compensate'),
    });
  });

  it('fails with an AssertionError naming the calls when the saga does not end in time', async () => {
    const run = sagaScenario(orderSaga())
      .withInput(input)
      .fakeAll()
      .withTimeout(50)
      .stub('processPayment', { execute: () => new Promise(() => {}) })
      .run();
    await expect(run).rejects.toBeInstanceOf(AssertionError);
    await expect(run).rejects.toThrow(/did not end within 50 ms \(calls so far: execute reserveInventory, execute processPayment/);
  });

  it('runs a saga that takes no input', async () => {
    const saga = defineSaga('ping', { steps: [{ name: 'a', execute: (ctx) => ctx.input ?? 'none' }, { name: 'b', execute: () => 2 }] });
    const outcome = await sagaScenario(saga).failing('b').expectCompensated(['a']);
    expect(outcome.state.input).toBeUndefined();
    expect(outcome.state.results).toEqual({ a: 'none' });
  });

  it('runs each time on a fresh store, so one scenario can run twice with the same saga id', async () => {
    const scenario = sagaScenario(orderSaga()).withInput(input).withSagaId('same').fakeAll();
    const first = await scenario.expectCompleted();
    const second = await scenario.expectCompleted();
    expect(second.callLog).toEqual(first.callLog);
  });
});

describe('sagaScenario: its expectations fail when the saga did something else', () => {
  it('expectCompleted fails for a compensated saga, naming the failure and the calls', async () => {
    const outcome = await sagaScenario(orderSaga()).withInput(input).fakeAll().failing('processPayment', new Error('card declined')).run();
    const error = assertionFrom(() => outcome.expectCompleted());
    expect(error.message).toBe(
      'Expected saga order to end completed, but it ended compensated (step processPayment: Error: card declined); ' +
        'calls: execute reserveInventory, execute processPayment, compensate reserveInventory',
    );
    await expect(
      sagaScenario(orderSaga()).withInput(input).fakeAll().failing('processPayment').expectCompleted(),
    ).rejects.toBeInstanceOf(AssertionError);
  });

  it('expectCompleted fails when a named result differs', async () => {
    const outcome = await sagaScenario(orderSaga()).withInput(input).run();
    assertionFrom(() => outcome.expectCompleted({ results: { reserveInventory: { reservationId: 'r-other' } } }));
    assertionFrom(() => outcome.expectCompleted({ results: { confirmOrder: undefined } }));
    outcome.expectCompleted({ results: { confirmOrder: null } });
  });

  it('expectCompensated fails for a completed saga, another order, other steps, another failed step or reason', async () => {
    const completed = await sagaScenario(orderSaga()).withInput(input).fakeAll().run();
    expect(assertionFrom(() => completed.expectCompensated([])).message).toMatch(/to end compensated, but it ended completed; calls:/);
    const compensated = await sagaScenario(orderSaga()).withInput(input).fakeAll().failing('confirmOrder', new Error('down')).run();
    compensated.expectCompensated(['processPayment', 'reserveInventory'], { failedStep: 'confirmOrder', reason: /down/ });
    assertionFrom(() => compensated.expectCompensated(['reserveInventory', 'processPayment']));
    assertionFrom(() => compensated.expectCompensated(['processPayment']));
    assertionFrom(() => compensated.expectCompensated(['processPayment', 'reserveInventory'], { failedStep: 'processPayment' }));
    assertionFrom(() => compensated.expectCompensated(['processPayment', 'reserveInventory'], { reason: 'Error: up' }));
    assertionFrom(() => compensated.expectCompensated(['processPayment', 'reserveInventory'], { reason: /^down/ }));
  });

  it('expectFailed fails for a saga whose compensations succeeded, or for another step or reason', async () => {
    const compensated = await sagaScenario(orderSaga()).withInput(input).fakeAll().failing('confirmOrder').run();
    expect(assertionFrom(() => compensated.expectFailed()).message).toMatch(/to end failed, but it ended compensated/);
    const failed = await sagaScenario(orderSaga()).withInput(input).fakeAll().failing('confirmOrder').failingCompensation('reserveInventory').run();
    failed.expectFailed({ step: 'reserveInventory' });
    assertionFrom(() => failed.expectFailed({ step: 'processPayment' }));
    assertionFrom(() => failed.expectFailed({ reason: /refund/ }));
    assertionFrom(() => failed.expectCompleted());
  });

  it('expectCalls fails for another order, a missing or an extra call', async () => {
    const outcome = await sagaScenario(orderSaga()).withInput(input).fakeAll().run();
    outcome.expectCalls(['execute reserveInventory', 'execute processPayment', 'execute confirmOrder']);
    assertionFrom(() => outcome.expectCalls(['execute processPayment', 'execute reserveInventory', 'execute confirmOrder']));
    assertionFrom(() => outcome.expectCalls(['execute reserveInventory', 'execute processPayment']));
    assertionFrom(() => outcome.expectCalls(['execute reserveInventory', 'execute processPayment', 'execute confirmOrder', 'compensate confirmOrder']));
  });
});
