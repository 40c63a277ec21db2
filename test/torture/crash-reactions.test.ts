import { describe, expect, it } from 'vitest';
import { EventStore, SagaCoordinator, SagaResumed, SagaStepCompleted } from '../../src/index.js';
import { spawnChild } from './support/child.js';
import { childTargets } from './support/child-targets.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { crashProjection, crashSaga, createSagaTables, SAGA_STEPS } from './support/crash-reactions.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { recordFigures } from './support/results.js';
import { sqlFor } from './support/targets.js';
import { randomInt, sleep, until } from './support/wait.js';

// A projection and a saga coordinator, each in a child process killed with SIGKILL at random
// moments while the parent keeps writing. Afterwards the read model equals a replay from scratch
// (no event lost or applied twice), and every saga finishes after recover() with no completed
// step run again.
const ROUNDS = scale(5, 20);
const SAGAS_PER_ROUND = scale(4, 8);

const targets = childTargets('crash-reactions');

async function open(url: string): Promise<EventStore> {
  return (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
}

/** Appends Noted events to a few streams until stopped; resolves with how many. */
function keepWriting(store: EventStore, prefix: string): { stop: () => Promise<number> } {
  let stopped = false;
  let written = 0;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      const events = Array.from({ length: 1 + (i % 3) }, (_, k) => Noted.create({ n: i * 10 + k, text: `${i}` }));
      await store.append('Noted', `${prefix}-${i % 4}`, 'any', events);
      written += events.length;
      await sleep(2);
    }
  })();
  return { stop: async () => ((stopped = true), await loop, written) };
}

describe.each(targets)('crash: reactions on $kind', ({ kind, url }) => {
  it(`keeps a projection's read model equal to a replay across ${ROUNDS} SIGKILLs`, async () => {
    const store = await open(url());
    const table = `crash_${kind.replace('-', '_')}_${Math.random().toString(36).slice(2, 8)}`;
    const writer = keepWriting(store, table);
    let kills = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const child = spawnChild<{ kind: string; handled?: number }>('projection-child.ts', [url(), table]);
        await child.waitFor((m) => m.kind === 'handled', 'handling events');
        await sleep(randomInt(0, 200));
        await child.kill();
        kills += 1;
      }
    } finally {
      const written = await writer.stop();
      const runner = store.projection(crashProjection(table, sqlFor(kind)), { leaseTtlMs: 500, pollIntervalMs: 20 });
      await runner.start();
      await until(() => runner.isActive, 'the parent takes the projection over', 30_000);
      await runner.waitUntilCaughtUp();
      // The replay from scratch: every Noted event of these streams, once.
      const replay = new Map<string, { events: number; total: number }>();
      let ids: string[] = [];
      for (let from = 0n; ; ) {
        const page = await store.readAll({ fromPosition: from, limit: 1000, eventTypes: ['Noted'] });
        for (const event of page) {
          ids.push(event.eventId);
          const totals = replay.get(event.aggregateId) ?? { events: 0, total: 0 };
          replay.set(event.aggregateId, { events: totals.events + 1, total: totals.total + (event.data as { n: number }).n });
        }
        if (page.length < 1000) break;
        from = page.at(-1)!.globalPosition;
      }
      const { seen, totals } = await store.transaction(async (tx) => ({
        seen: await tx.query<{ event_id: string }>(`SELECT event_id FROM ${table}_seen`),
        totals: await tx.query<{ stream: string; events: number | string; total: number | string }>(`SELECT stream, events, total FROM ${table}_totals`),
      }));
      ids = ids.sort();
      expect(seen.map((r) => r.event_id).sort()).toEqual(ids);
      expect(new Map(totals.map((r) => [r.stream, { events: Number(r.events), total: Number(r.total) }]))).toEqual(replay);
      expect(await runner.listDeadLetters()).toEqual([]);
      const applied = totals.reduce((sum, r) => sum + Number(r.events), 0);
      recordFigures(`crash-projection-${kind}`, { rounds: ROUNDS, kills, eventsWritten: written, eventsProjected: seen.length, lost: ids.length - seen.length, duplicated: applied - ids.length });
      await store.close();
    }
  }, TIMEOUT_MS);

  it(`finishes every saga after recover() across ${ROUNDS} SIGKILLs, running no completed step again`, async () => {
    const store = await open(url());
    await createSagaTables(store);
    const prefix = `saga-${Math.random().toString(36).slice(2, 8)}`;
    let previous = '-';
    let started = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const run = `${prefix}-r${round}`;
      const child = spawnChild<{ kind: string }>('saga-child.ts', [url(), run, previous, String(SAGAS_PER_ROUND)]);
      await child.waitFor((m) => m.kind === 'step', 'a saga step', 60_000);
      await sleep(randomInt(0, 150));
      await child.kill();
      started += child.messages.filter((m) => m.kind === 'started').length;
      previous = run;
    }
    const coordinator = new SagaCoordinator(store, { sagas: [crashSaga(store, sqlFor(kind))], leaseTtlMs: 300 });
    try {
      // The killed coordinators' leases expire; recover() then resumes their sagas.
      await until(async () => {
        await coordinator.recover();
        const unfinished = await coordinator.list({ status: 'running' });
        return unfinished.filter((s) => s.sagaId.startsWith(prefix)).length === 0;
      }, 'every saga resumed and finished', 60_000, 100);
      const sagas = (await coordinator.list()).filter((s) => s.sagaId.startsWith(prefix));
      expect(sagas.length).toBeGreaterThanOrEqual(started);
      for (const saga of sagas) {
        const final = await coordinator.waitFor(saga.sagaId, { timeoutMs: 30_000 });
        expect(final, saga.sagaId).toMatchObject({ status: 'completed', stepsCompleted: [...SAGA_STEPS] });
      }
      const { runs, effects } = await store.transaction(async (tx) => ({
        runs: await tx.query<{ saga_id: string; step: string }>('SELECT saga_id, step FROM torture_saga_runs'),
        effects: await tx.query<{ idempotency_key: string }>('SELECT idempotency_key FROM torture_saga_effects'),
      }));
      let reruns = 0;
      for (const saga of sagas) {
        // A step may run again only after a resume that found it next (in flight at the crash).
        const allowed = new Map<string, number>(SAGA_STEPS.map((step) => [step, 1]));
        let next = 0;
        for (const event of await store.loadEvents(saga.sagaId)) {
          if (SagaStepCompleted.is(event)) next += 1;
          const step = SAGA_STEPS[next];
          if (SagaResumed.is(event) && step) allowed.set(step, allowed.get(step)! + 1);
        }
        for (const step of SAGA_STEPS) {
          const executions = runs.filter((r) => r.saga_id === saga.sagaId && r.step === step).length;
          expect(executions, `${saga.sagaId} ${step}`).toBeGreaterThanOrEqual(1);
          expect(executions, `${saga.sagaId} ${step}`).toBeLessThanOrEqual(allowed.get(step)!);
          reruns += executions - 1;
          expect(effects.map((e) => e.idempotency_key)).toContain(`${saga.sagaId}:${step}`);
        }
      }
      recordFigures(`crash-saga-${kind}`, { rounds: ROUNDS, kills: ROUNDS, sagas: sagas.length, completed: sagas.length, stepsRerunAfterCrash: reruns, lost: 0, duplicatedEffects: 0 });
    } finally {
      await coordinator.stop();
      await store.close();
    }
  }, TIMEOUT_MS);
});
