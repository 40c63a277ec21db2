import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSaga, SagaCoordinator, type EventStore, type SagaDefinition, type StepContext } from '../../src/index.js';
import { Pinged, streamId, until, type StoreTarget } from '../streaming/durable/fixtures.js';

type Log = string[];

/** A 3-step saga whose steps log what they do; `fail` names steps that throw. */
function tripSaga(log: Log, options: { fail?: string[]; failCompensation?: string[]; name?: string } = {}): SagaDefinition {
  const step = (name: string) => ({
    name,
    execute: (ctx: StepContext<{ trip: string }>) => {
      log.push(`do ${name}`);
      if (options.fail?.includes(name)) throw new Error(`${name} refused`);
      return { [`${name}Ref`]: `${ctx.input.trip}-${name}`, seen: Object.keys(ctx.results) };
    },
    compensate: (ctx: StepContext<{ trip: string }>) => {
      log.push(`undo ${name}`);
      if (options.failCompensation?.includes(name)) throw 'cannot undo';
      void ctx;
    },
  });
  return defineSaga(options.name ?? 'trip', {
    input: z.object({ trip: z.string() }),
    steps: [step('flight'), step('hotel'), step('car')],
    compensationRetry: { attempts: 2, backoffMs: 1 },
  }) as SagaDefinition;
}

export function describeSagas(makeTarget: () => StoreTarget): void {
  const target = makeTarget();
  describe(`sagas: ${target.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const open = async () => {
      const store = await target.open();
      cleanups.push(() => store.close());
      return store;
    };
    const coordinatorOn = (store: EventStore, sagas: SagaDefinition[], leaseTtlMs?: number) => {
      const coordinator = new SagaCoordinator(store, leaseTtlMs ? { sagas, leaseTtlMs } : { sagas });
      cleanups.unshift(() => coordinator.stop());
      return coordinator;
    };
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    afterAll(() => target.cleanup());

    it('runs the steps in order, passing earlier results, and ends completed', async () => {
      const log: Log = [];
      const store = await open();
      const coordinator = coordinatorOn(store, [tripSaga(log)]);
      const sagaId = await coordinator.start('trip', { trip: 't1' });
      const state = await coordinator.waitFor(sagaId);
      expect(state).toMatchObject({
        status: 'completed',
        stepsCompleted: ['flight', 'hotel', 'car'],
        stepsCompensated: [],
        failureReason: null,
        version: 5,
      });
      expect(state.results['car']).toEqual({ carRef: 't1-car', seen: ['flight', 'hotel'] });
      expect(log).toEqual(['do flight', 'do hotel', 'do car']);
      expect(state.endedAt).toBeInstanceOf(Date);
    });

    it.each([
      ['flight', [], 'compensated'],
      ['hotel', ['flight'], 'compensated'],
      ['car', ['hotel', 'flight'], 'compensated'],
    ])('compensates completed steps in reverse when %s fails', async (failing, undone, status) => {
      const log: Log = [];
      const store = await open();
      const coordinator = coordinatorOn(store, [tripSaga(log, { fail: [failing] })]);
      const state = await coordinator.waitFor(await coordinator.start('trip', { trip: 't' }));
      expect(state.status).toBe(status);
      expect(state.stepsCompensated).toEqual(undone);
      expect(state.failedStep).toBe(failing);
      expect(state.failureReason).toContain(`${failing} refused`);
      expect(log.filter((l) => l.startsWith('undo'))).toEqual(undone.map((s) => `undo ${s}`));
    });

    it("ends 'failed' when a compensation keeps failing, recording it", async () => {
      const log: Log = [];
      const store = await open();
      const coordinator = coordinatorOn(store, [tripSaga(log, { fail: ['car'], failCompensation: ['hotel'] })]);
      const failed = new Promise((resolve) => coordinator.once('failed', resolve));
      const state = await coordinator.waitFor(await coordinator.start('trip', { trip: 't' }));
      expect(state).toMatchObject({ status: 'failed', failedStep: 'hotel', stepsCompensated: [] });
      expect(state.failureReason).toContain('compensation of hotel failed');
      expect(state.failureReason).toContain('cannot undo');
      expect(log.filter((l) => l === 'undo hotel')).toHaveLength(2);
      expect(log).not.toContain('undo flight');
      await failed;
    });

    it('retries a step, then succeeds', async () => {
      const store = await open();
      let calls = 0;
      const saga = defineSaga('flaky', {
        steps: [{ name: 'call', retry: { attempts: 3, backoffMs: 1 }, execute: (ctx) => (++calls < 3 ? Promise.reject(new Error('busy')) : ctx.attempt) }],
      });
      const coordinator = coordinatorOn(store, [saga]);
      const state = await coordinator.waitFor(await coordinator.start('flaky', null));
      expect(state.status).toBe('completed');
      expect(state.results['call']).toBe(3);
    });

    it('times a step out, aborting its signal, and compensates', async () => {
      const store = await open();
      let aborted = false;
      const saga = defineSaga('slow', {
        steps: [
          { name: 'first', execute: () => 'ok', compensate: () => undefined },
          {
            name: 'stuck',
            timeoutMs: 50,
            execute: (ctx) =>
              new Promise((resolve) => ctx.signal.addEventListener('abort', () => ((aborted = true), resolve('late')))),
          },
        ],
      });
      const coordinator = coordinatorOn(store, [saga]);
      const state = await coordinator.waitFor(await coordinator.start('slow', null));
      expect(state).toMatchObject({ status: 'compensated', failedStep: 'stuck', stepsCompensated: ['first'] });
      expect(state.failureReason).toContain('did not finish within 50 ms');
      expect(aborted).toBe(true);
    });

    it('starts idempotently per saga id', async () => {
      const log: Log = [];
      const store = await open();
      const coordinator = coordinatorOn(store, [tripSaga(log)]);
      const id = `order-${streamId()}-saga`;
      expect(await coordinator.start('trip', { trip: 'a' }, { sagaId: id })).toBe(id);
      expect(await coordinator.start('trip', { trip: 'a' }, { sagaId: id })).toBe(id);
      await coordinator.waitFor(id);
      expect(await coordinator.start('trip', { trip: 'a' }, { sagaId: id })).toBe(id);
      expect(log).toEqual(['do flight', 'do hotel', 'do car']);
      expect((await coordinator.list({ status: 'completed' })).filter((s) => s.sagaId === id)).toHaveLength(1);
    });

    it('rejects bad starts with typed errors and writes nothing', async () => {
      const store = await open();
      const coordinator = coordinatorOn(store, [tripSaga([])]);
      const before = await store.getGlobalPosition();
      await expect(coordinator.start('nope', {})).rejects.toMatchObject({ code: 'SAGA_UNKNOWN' });
      await expect(coordinator.start('trip', { trip: 42 })).rejects.toMatchObject({ code: 'SAGA_INPUT' });
      await expect(coordinator.start('trip', { trip: 'x' }, { sagaId: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await store.getGlobalPosition()).toBe(before);
      await expect(coordinator.waitFor('no-such-saga')).rejects.toMatchObject({ code: 'SAGA_UNKNOWN' });
      expect(() => defineSaga('dup', { steps: [{ name: 'a', execute: () => 1 }, { name: 'a', execute: () => 2 }] })).toThrow(
        expect.objectContaining({ code: 'SAGA_DEFINITION' }),
      );
      expect(() => defineSaga('none', { steps: [] })).toThrow(expect.objectContaining({ code: 'SAGA_DEFINITION' }));
      await coordinator.stop();
      await expect(coordinator.start('trip', { trip: 'x' })).rejects.toMatchObject({ code: 'SAGA_STOPPED' });
    });

    it('resumes a saga whose process was killed mid-step: step 1 ran once, the saga finishes after recover()', async () => {
      const store = await open();
      const sagaId = `crash-${streamId()}`;
      const child = fork(fileURLToPath(new URL('./saga-child.ts', import.meta.url)), [target.url(), sagaId], {
        execArgv: ['--import', 'tsx'],
        stdio: 'pipe',
      });
      await new Promise<void>((resolve, reject) => {
        child.on('message', (m) => m === 'in-step-2' && resolve());
        child.once('exit', (code) => reject(new Error(`child exited early with ${String(code)}`)));
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const effects = () =>
        store.transaction(async (tx) => (await tx.query<{ c: number | string }>(target.sql('SELECT count(*) AS c FROM saga_effects WHERE saga_id = ?'), [sagaId]))[0]!.c);
      expect(Number(await effects())).toBe(1);
      const { crashSaga } = await import('./saga-child-saga.js');
      const coordinator = coordinatorOn(store, [crashSaga(store, target.sql)], 300);
      await until(async () => (await coordinator.recover()).includes(sagaId), 10_000);
      const state = await coordinator.waitFor(sagaId);
      expect(state.status).toBe('completed');
      expect(Number(await effects())).toBe(1);
    });

    it('starts one saga per event, once, across a restart of the subscription', async () => {
      const log: Log = [];
      const store = await open();
      const subscriptionId = `sagas-${streamId()}`;
      const stream = streamId();
      const saga = defineSaga('on-ping', { steps: [{ name: 'note', execute: (ctx) => void log.push(String(ctx.input)) }] });
      const first = coordinatorOn(store, [saga]);
      await store.append('Pinger', stream, 0, [Pinged.create({ n: 1 }), Pinged.create({ n: 2 })]);
      const sub = await first.startOn(Pinged, (event) => ({ sagaId: `ping-${event.eventId}`, input: event.data.n }), { subscriptionId });
      await sub.waitUntilCaughtUp();
      await first.stop();
      const again = await open();
      const second = coordinatorOn(again, [saga]);
      // As at any restart: stop() may have halted a saga between its start and its step.
      await second.recover();
      await again.append('Pinger', stream, 2, [Pinged.create({ n: 3 })]);
      const sub2 = await second.startOn(Pinged, (event) => ({ sagaId: `ping-${event.eventId}`, input: event.data.n }), { subscriptionId });
      await sub2.waitUntilCaughtUp();
      const ours = (await second.list({ name: 'on-ping' })).filter((s) => [1, 2, 3].includes(s.input as number));
      await Promise.all(ours.map((s) => second.waitFor(s.sagaId)));
      expect(ours.map((s) => s.input).sort()).toEqual([1, 2, 3]);
      expect(log.filter((l) => ['1', '2', '3'].includes(l)).sort()).toEqual(['1', '2', '3']);
    });

    it('never lets two coordinators run one saga; a live one keeps its sagas, a stopped one hands them over', async () => {
      const storeA = await open();
      const storeB = await open();
      let running = 0;
      let overlap = false;
      const ran: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const exclusive = (who: string) =>
        defineSaga('exclusive', {
          steps: [
            {
              name: 'hold',
              execute: async () => {
                running += 1;
                if (running > 1) overlap = true;
                ran.push(`${who}:hold`);
                await gate;
                running -= 1;
              },
            },
            { name: 'finish', execute: () => void ran.push(`${who}:finish`) },
          ],
        });
      const a = coordinatorOn(storeA, [exclusive('a')], 300);
      const b = coordinatorOn(storeB, [exclusive('b')], 300);
      const sagaId = await a.start('exclusive', null);
      await until(() => ran.length === 1);
      expect(await b.recover()).not.toContain(sagaId);
      const stopping = a.stop();
      release();
      await stopping;
      expect((await b.get(sagaId))?.status).toBe('running');
      expect(await b.recover()).toContain(sagaId);
      expect((await b.waitFor(sagaId)).status).toBe('completed');
      expect(ran).toEqual(['a:hold', 'b:finish']);
      expect(overlap).toBe(false);
    });
  });
}
