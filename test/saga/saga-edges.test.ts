import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, defineProjection, defineSaga, EventStore, EventStreamer, SagaCoordinator } from '../../src/index.js';

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
