import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineEvent, defineProjection, defineSaga, EventStore, EventStreamer, SagaCoordinator, type SagaStepDefinition } from '../../src/index.js';

const Noted = defineEvent('EdgeNoted', z.object({ n: z.number() }));

describe('saga edge cases', () => {
  it('halts (does not compensate) a saga whose step rejects because the coordinator stopped', async () => {
    const store = await EventStore.create('memory:');
    let entered!: () => void;
    const inStep = new Promise<void>((resolve) => (entered = resolve));
    const saga = defineSaga('stoppable', {
      steps: [
        { name: 'a', execute: () => 'done', compensate: () => undefined },
        {
          name: 'b',
          execute: (ctx) =>
            new Promise((_, reject) => {
              entered();
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            }),
        },
      ],
    });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    const id = await coordinator.start('stoppable', null);
    await inStep;
    await coordinator.stop();
    expect(await coordinator.get(id)).toMatchObject({ status: 'running', stepsCompleted: ['a'], stepsCompensated: [] });
    await store.close();
  });

  it('stops retrying a step that throws an error marked retryable: false', async () => {
    const store = await EventStore.create('memory:');
    let calls = 0;
    const saga = defineSaga('decline', {
      steps: [
        {
          name: 'pay',
          retry: { attempts: 5, backoffMs: 1 },
          execute: () => {
            calls += 1;
            throw Object.assign(new Error('card declined'), { retryable: false });
          },
        },
      ],
    });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    const state = await coordinator.waitFor(await coordinator.start('decline', null));
    expect(state.status).toBe('compensated');
    expect(calls).toBe(1);
    await coordinator.stop();
    await store.close();
  });

  it("refuses to resume a saga whose completed steps no longer match the definition", async () => {
    const store = await EventStore.create('memory:');
    const v1 = defineSaga('evolving', {
      steps: [
        { name: 'one', execute: () => 1 },
        { name: 'two', execute: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))) },
      ],
    });
    const first = new SagaCoordinator(store, { sagas: [v1], leaseTtlMs: 100 });
    const id = await first.start('evolving', null);
    await new Promise((r) => setTimeout(r, 20));
    await first.stop();
    const v2 = defineSaga('evolving', { steps: [{ name: 'renamed', execute: () => 1 }, { name: 'two', execute: () => 2 }] });
    const second = new SagaCoordinator(store, { sagas: [v2] });
    const errors: Error[] = [];
    second.on('error', (e) => errors.push(e));
    expect(await second.recover()).toEqual([]);
    expect(errors[0]?.message).toContain(`Saga ${id} cannot resume`);
    await second.stop();
  });

  it('reads back a saga started without input (undefined, no schema)', async () => {
    const store = await EventStore.create('memory:');
    const saga = defineSaga('no-input', { steps: [{ name: 'a', execute: (ctx) => ctx.input === undefined }] });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    const id = await coordinator.start('no-input', undefined);
    await coordinator.waitFor(id);
    // Its SagaStarted was stored without `input`; reading the saga back failed to decode it.
    expect(await coordinator.get(id)).toMatchObject({ status: 'completed', input: undefined, results: { a: true } });
    expect((await coordinator.list({ name: 'no-input' })).map((s) => s.status)).toEqual(['completed']);
    await coordinator.stop();
    await store.close();
  });

  it('startOn takes subscription options such as from: end', async () => {
    const store = (await EventStore.create('memory:')).register(Noted);
    await store.append('Note', 'n-1', 0, [Noted.create({ n: 1 })]);
    const started: unknown[] = [];
    const saga = defineSaga('on-note', { steps: [{ name: 'log', execute: (ctx) => void started.push(ctx.input) }] });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    const sub = await coordinator.startOn(Noted, (e) => ({ input: e.data.n }), { subscriptionId: 'notes', from: 'end' });
    await sub.waitUntilCaughtUp();
    const [cause] = await store.append('Note', 'n-1', 1, [Noted.create({ n: 2 }, { metadata: { correlationId: 'c-9' } })]);
    await sub.waitUntilCaughtUp();
    const [state] = await coordinator.list({ name: 'on-note' });
    await coordinator.waitFor(state!.sagaId);
    expect(started).toEqual([2]);
    const [startedEvent] = await store.loadEvents(state!.sagaId);
    expect(startedEvent!.metadata).toMatchObject({ correlationId: 'c-9', causationId: cause!.eventId });
    expect(startedEvent!.eventType).toBe('eventuali.SagaStarted');
    expect((await coordinator.get(state!.sagaId))?.correlationId).toBe('c-9');
    await coordinator.stop();
    await store.close();
  });
});

describe('saga timer options', () => {
  const MAX_TIMER_MS = 2 ** 31 - 1;
  /** Node fires a longer timer after 1 ms (and warns), so these would time out or retry at once. */
  const beyondTimers = [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY];
  const notDurations = [-1, 1.5, Number.NaN, '100'];
  const step = (extra: object) => ({ name: 'only', execute: () => 'done', ...extra });

  it.each([...beyondTimers, ...notDurations, 0])('defineSaga refuses a step timeoutMs of %s with SAGA_DEFINITION', (timeoutMs) => {
    expect(() => defineSaga('timed', { steps: [step({ timeoutMs })] })).toThrow(
      expect.objectContaining({ name: 'SagaError', code: 'SAGA_DEFINITION', message: expect.stringContaining('timeoutMs') }),
    );
  });

  it.each([...beyondTimers, ...notDurations])('defineSaga refuses a retry.backoffMs of %s with SAGA_DEFINITION', (backoffMs) => {
    expect(() => defineSaga('retried', { steps: [step({ retry: { attempts: 3, backoffMs } })] })).toThrow(
      expect.objectContaining({ code: 'SAGA_DEFINITION', message: expect.stringContaining('retry.backoffMs') }),
    );
    expect(() => defineSaga('retried', { steps: [step({})], compensationRetry: { attempts: 3, backoffMs } as never })).toThrow(
      expect.objectContaining({ code: 'SAGA_DEFINITION', message: expect.stringContaining('compensationRetry.backoffMs') }),
    );
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('defineSaga refuses retry attempts of %s', (attempts) => {
    expect(() => defineSaga('retried', { steps: [step({ retry: { attempts } })] })).toThrow(expect.objectContaining({ code: 'SAGA_DEFINITION' }));
  });

  it('defineSaga takes the longest timer Node keeps, and a zero backoff', () => {
    const saga = defineSaga('longest', {
      steps: [step({ timeoutMs: MAX_TIMER_MS, retry: { attempts: 2, backoffMs: MAX_TIMER_MS } }), { ...step({ retry: { attempts: 2, backoffMs: 0 } }), name: 'next' }],
      compensationRetry: { attempts: 2, backoffMs: MAX_TIMER_MS },
    });
    expect(saga.steps[0]?.timeoutMs).toBe(MAX_TIMER_MS);
  });

  it.each([...beyondTimers, ...notDurations, 99])('new SagaCoordinator refuses a leaseTtlMs of %s with INVALID_ARGUMENT', async (leaseTtlMs) => {
    const store = await EventStore.create('memory:');
    const saga = defineSaga('leased', { steps: [step({})] });
    expect(() => new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: leaseTtlMs as number })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT', argument: 'leaseTtlMs' }),
    );
    await store.close();
  });

  it.each([...beyondTimers, ...notDurations, 9])('new SagaCoordinator refuses a recoverEveryMs of %s with INVALID_ARGUMENT', async (recoverEveryMs) => {
    const store = await EventStore.create('memory:');
    const saga = defineSaga('recovering', { steps: [step({})] });
    expect(() => new SagaCoordinator(store, { sagas: [saga], recoverEveryMs: recoverEveryMs as number })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'recoverEveryMs' }),
    );
    await store.close();
  });

  it('new SagaCoordinator checks step timers again, so a step changed after defineSaga is refused', async () => {
    const store = await EventStore.create('memory:');
    const only: SagaStepDefinition<unknown> = { name: 'only', execute: () => 'done', timeoutMs: 1000 };
    const saga = defineSaga('changed', { steps: [only] });
    only.timeoutMs = 2 ** 31;
    expect(() => new SagaCoordinator(store, { sagas: [saga] })).toThrow(expect.objectContaining({ code: 'SAGA_DEFINITION' }));
    await store.close();
  });

  it('runs with the longest lease and recovery interval Node keeps, without a timer overflow', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const store = await EventStore.create('memory:');
    try {
      const saga = defineSaga('longest-lease', { steps: [step({ timeoutMs: MAX_TIMER_MS })] });
      const coordinator = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: MAX_TIMER_MS, recoverEveryMs: MAX_TIMER_MS });
      const state = await coordinator.waitFor(await coordinator.start('longest-lease', null), { timeoutMs: MAX_TIMER_MS });
      expect(state.status).toBe('completed');
      await coordinator.stop();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await store.close();
    }
  });

  it.each([2 ** 31, -1, 1.5, Number.NaN])('waitFor refuses a timeoutMs of %s with INVALID_ARGUMENT', async (timeoutMs) => {
    const store = await EventStore.create('memory:');
    const coordinator = new SagaCoordinator(store, { sagas: [defineSaga('waited', { steps: [step({})] })] });
    const sagaId = await coordinator.start('waited', null);
    await expect(coordinator.waitFor(sagaId, { timeoutMs })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'timeoutMs' });
    await coordinator.stop();
    await store.close();
  });
});

describe('saga writes', () => {
  it('records steps with nothing to undo in the write before them, and still compensates in reverse order', async () => {
    const store = await EventStore.create('memory:');
    const undone: string[] = [];
    const saga = defineSaga('mixed-undo', {
      steps: [
        { name: 'reserve', execute: () => 'r', compensate: () => void undone.push('reserve') },
        { name: 'note', execute: () => 'n' },
        { name: 'log', execute: () => 'l' },
        { name: 'charge', execute: () => { throw new Error('declined'); } },
      ],
    });
    const coordinator = new SagaCoordinator(store, { sagas: [saga] });
    const steps: string[] = [];
    coordinator.on('step', (info) => steps.push(`${info.kind} ${info.step}`));
    const save = vi.spyOn(store, 'save');
    const state = await coordinator.waitFor(await coordinator.start('mixed-undo', null));
    expect(state).toMatchObject({ status: 'compensated', stepsCompensated: ['log', 'note', 'reserve'], failedStep: 'charge' });
    expect(undone).toEqual(['reserve']);
    expect(steps.slice(3)).toEqual(['failed charge', 'compensated log', 'compensated note', 'compensated reserve']);
    // Started, three completed steps, then: the failure with log and note undone; reserve undone with the end.
    expect(save).toHaveBeenCalledTimes(6);
    expect((await store.loadEvents(state.sagaId)).map((e) => e.eventType.replace('eventuali.Saga', ''))).toEqual([
      'Started', 'StepCompleted', 'StepCompleted', 'StepCompleted', 'StepFailed', 'CompensationStarted',
      'StepCompensated', 'StepCompensated', 'StepCompensated', 'Compensated',
    ]);
    await coordinator.stop();
    await store.close();
  });

  it('keeps renewing its lease while sagas whose steps never wait run back to back on synchronous SQLite', async () => {
    const store = await EventStore.create('sqlite::memory:');
    // better-sqlite3 answers without I/O: without a turn of the event loop now and then, the
    // renewal timer would never run, and the busy coordinator would look dead to the others.
    const leaseWrites = vi.spyOn(store.adapter, 'acquireLease');
    const saga = defineSaga('busy', { steps: [{ name: 'a', execute: () => 1 }, { name: 'b', execute: () => 2 }] });
    const coordinator = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 300 });
    await coordinator.waitFor(await coordinator.start('busy', null));
    const taken = leaseWrites.mock.calls.length;
    let sagas = 0;
    const loop = async () => {
      while (leaseWrites.mock.calls.length === taken && sagas < 20_000) {
        sagas += 1;
        await coordinator.waitFor(await coordinator.start('busy', null));
      }
    };
    await Promise.all(Array.from({ length: 8 }, loop));
    expect(leaseWrites.mock.calls.length).toBeGreaterThan(taken);
    await coordinator.stop();
    await store.close();
  });

  it('runs many sagas at once without a MaxListenersExceededWarning on the stop signal', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const store = await EventStore.create('memory:');
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const saga = defineSaga('crowd', { steps: [{ name: 'wait', execute: () => gate, retry: { attempts: 2, backoffMs: 1 } }] });
      const coordinator = new SagaCoordinator(store, { sagas: [saga] });
      const ids = await Promise.all(Array.from({ length: 20 }, () => coordinator.start('crowd', null)));
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      for (const id of ids) expect((await coordinator.waitFor(id)).status).toBe('completed');
      await coordinator.stop();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await store.close();
    }
  });
});

describe('streaming edge cases', () => {
  it('rejects ctx.save inside a projection instead of hanging', async () => {
    const store = (await EventStore.create('sqlite::memory:')).register(Noted);
    const errors: Error[] = [];
    const runner = store.projection(
      defineProjection({
        name: 'saver',
        events: [Noted],
        handlers: { EdgeNoted: async (_event, ctx) => void (await ctx.save({} as never)) },
      }),
      { retry: { attempts: 1 } },
    );
    runner.on('error', (e) => errors.push(e));
    await store.append('Note', 'n-1', 0, [Noted.create({ n: 1 })]);
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect(errors.some((e) => e.message.includes('not available in a projection'))).toBe(true);
    expect(await runner.listDeadLetters()).toHaveLength(1);
    await store.close();
  });

  it('still reports a save as saved when publishing to a closed streamer fails', async () => {
    const streamer = new EventStreamer();
    const warnings: string[] = [];
    const store = (await EventStore.create('memory:', { streamer, onWarning: (m) => warnings.push(m) })).register(Noted);
    streamer.close();
    const saved = await store.append('Note', 'n-1', 0, [Noted.create({ n: 1 })]);
    expect(saved).toHaveLength(1);
    expect(warnings.join()).toContain('not published');
    await store.close();
  });
});

describe('saga event types', () => {
  it('are decoded by a store that runs no coordinator (the library registers its own event types)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventuali-saga-types-'));
    const url = `sqlite://${join(dir, 'events.db')}`;
    const writer = await EventStore.create(url);
    const coordinator = new SagaCoordinator(writer, { sagas: [defineSaga('typed', { steps: [{ name: 'a', execute: () => 1 }] })] });
    const id = await coordinator.start('typed', null);
    await coordinator.waitFor(id, { timeoutMs: 10_000 });
    await coordinator.stop();
    await writer.close();

    const reader = await EventStore.create(url); // no coordinator, no register(), unknownEvents: 'error'
    const types = (await reader.readAll()).map((event) => event.eventType);
    expect(types).toContain('eventuali.SagaStarted');
    expect(types).toContain('eventuali.SagaCompleted');
    await reader.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
