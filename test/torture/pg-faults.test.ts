import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, isEventualiError, type Event } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { drainStaleConnections, keepAppending, startKiller, faultedReactions, untypedAsConnection } from './support/faults.js';
import { checkIntegrity } from './support/integrity.js';
import { recordFigures } from './support/results.js';
import { adminPool } from './support/targets.js';
import { sleep, until } from './support/wait.js';

// PostgreSQL connections terminated with pg_terminate_backend (from an admin connection, by the
// store's application_name) while appends, reads and subscriptions are in flight: each failing
// call reports CONNECTION, the pool reconnects, retried appends store nothing twice,
// subscriptions resume from their checkpoints, and the read model loses and doubles nothing.
const FAULT_MS = scale(2_500, 20_000);
const POOL_SIZE = 4;

let db: TestDatabase | undefined;
let admin: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('torture_faults');
  admin = adminPool(db.url);
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

let apps = 0;
async function faultedStore(): Promise<{ store: EventStore; app: string; warnings: unknown[] }> {
  const app = `torture_faults_${process.pid}_${++apps}`;
  const warnings: unknown[] = [];
  const url = `${db!.url}?application_name=${app}`;
  const store = (await EventStore.create(url, { poolSize: POOL_SIZE, onWarning: (_m, e) => warnings.push(e) })).register(...TORTURE_EVENTS);
  return { store, app, warnings };
}


describe('faults: PostgreSQL backends terminated mid-flight', () => {
  it('fails appends in flight with CONNECTION; retries with the same ids store each batch exactly once', async () => {
    const { store, app, warnings } = await faultedStore();
    try {
      const writer = keepAppending(store, `appends-${app}`, 4);
      const killer = startKiller(admin, app);
      await sleep(FAULT_MS);
      const terminated = await killer.stop();
      const log = await writer.stop();
      expect(log.unexpected).toEqual([]);
      await drainStaleConnections(store, POOL_SIZE);
      let events = 0;
      for (const [aggregateId, ids] of log.streams) {
        const stored = await store.loadEvents(aggregateId);
        expect(stored.map((e) => e.eventId), aggregateId).toEqual(ids);
        expect(stored.map((e) => e.aggregateVersion)).toEqual(ids.map((_, i) => i + 1));
        events += ids.length;
      }
      expect((await checkIntegrity(store, { increasingPositions: false })).problems).toEqual([]);
      expect(untypedAsConnection(warnings)).toEqual([]);
      recordFigures('faults-appends', { faultMs: FAULT_MS, backendsTerminated: terminated, connectionErrors: log.connectionErrors, events, lost: 0, duplicated: 0 });
    } finally {
      await store.close();
    }
  }, TIMEOUT_MS);

  it('fails reads in flight with CONNECTION and answers every other read correctly', async () => {
    const { store, app } = await faultedStore();
    try {
      const prefix = `reads-${app}`;
      for (let i = 0; i < 20; i++) await store.append('Reader', `${prefix}-${i % 5}`, 'any', Array.from({ length: 10 }, (_, n) => Noted.create({ n, text: `${i}` })));
      const truth = (await checkIntegrity(store, { increasingPositions: false })).log;
      const killer = startKiller(admin, app);
      const errors: unknown[] = [];
      let reads = 0;
      const deadline = Date.now() + FAULT_MS;
      await Promise.all(Array.from({ length: 3 }, async (_, r) => {
        for (let i = r; Date.now() < deadline; i += 3) {
          try {
            await readAndCheck(store, truth, prefix, i);
            reads += 1;
          } catch (error) {
            if (!isEventualiError(error)) throw error;
            errors.push(error);
          }
        }
      }));
      const terminated = await killer.stop();
      expect(untypedAsConnection(errors)).toEqual([]);
      await drainStaleConnections(store, POOL_SIZE);
      for (let i = 0; i < 30; i++) await readAndCheck(store, truth, prefix, i);
      recordFigures('faults-reads', { faultMs: FAULT_MS, backendsTerminated: terminated, readsAnswered: reads, readsFailedWithConnection: errors.length });
    } finally {
      await store.close();
    }
  }, TIMEOUT_MS);

  it('keeps subscriptions and a projection going: resumed from checkpoints, read model exact', async () => {
    const { store, app } = await faultedStore();
    const table = `faults_${apps}_${Math.random().toString(36).slice(2, 8)}`;
    // A subscription or projection that ends with a reason gave up: a connection blip must never do that.
    const { sub, runner, deliveries, errors, gaveUp } = faultedReactions(store, `faults-sub-${app}`, table, 20);
    try {
      await sub.start();
      await runner.start();
      const start = Date.now();
      const writer = (async () => {
        const written: string[] = [];
        for (let i = 0; Date.now() < start + FAULT_MS; i++) {
          const events = [Noted.create({ n: i, text: 'x' }), Noted.create({ n: i + 1, text: 'y' })];
          for (;;) {
            try {
              await store.append('Faulted', `${table}-${i % 3}`, 'any', events);
              break;
            } catch (error) {
              if (!isEventualiError(error, 'CONNECTION')) throw error;
            }
          }
          written.push(...events.map((e) => e.eventId));
          await sleep(3);
        }
        return written;
      })();
      const killer = startKiller(admin, app);
      const written = await writer;
      const terminated = await killer.stop();
      expect(gaveUp).toEqual([]);
      await drainStaleConnections(store, POOL_SIZE);
      await until(() => written.every((id) => deliveries.has(id)), 'the subscription delivered every event', 60_000);
      await runner.waitUntilCaughtUp({ timeoutMs: 60_000 });
      // The replay from scratch: every Noted event in the store (earlier tests' too), once.
      const noted = (await checkIntegrity(store, { increasingPositions: false })).log.filter((e) => e.eventType === 'Noted').map((e) => e.eventId);
      await until(async () => (await rows(store, table)).length >= noted.length, 'the projection caught up', 60_000);
      const seen = await rows(store, table);
      expect(seen.sort()).toEqual(noted.sort());
      const totals = await store.transaction((tx) => tx.query<{ events: number }>(`SELECT events FROM ${table}_totals`));
      expect(totals.reduce((sum, r) => sum + Number(r.events), 0)).toBe(noted.length);
      expect(await runner.listDeadLetters()).toEqual([]);
      expect(await sub.listDeadLetters()).toEqual([]);
      expect([sub.state, runner.state]).not.toContain('failed');
      expect(untypedAsConnection(errors)).toEqual([]);
      const redelivered = [...deliveries.values()].reduce((sum, n) => sum + n - 1, 0);
      recordFigures('faults-subscriptions', {
        faultMs: FAULT_MS, backendsTerminated: terminated, events: written.length, errorsReported: errors.length,
        subscriptionRedeliveries: redelivered, readModelLost: 0, readModelDuplicated: 0,
      });
    } finally {
      await store.close();
    }
  }, TIMEOUT_MS);
});

async function rows(store: EventStore, table: string): Promise<string[]> {
  const result = await store.transaction((tx) => tx.query<{ event_id: string }>(`SELECT event_id FROM ${table}_seen`));
  return result.map((r) => r.event_id);
}

/** One read, of a kind picked by `i`, checked against the log read before the faults. */
async function readAndCheck(store: EventStore, truth: readonly Event[], prefix: string, i: number): Promise<void> {
  const skip = (i * 37) % truth.length;
  const limit = 1 + (i % 9);
  switch (i % 3) {
    case 0: {
      const page = await store.readAll({ fromPosition: skip === 0 ? 0n : truth[skip - 1]!.globalPosition, limit });
      expect(page.map((e) => e.eventId)).toEqual(truth.slice(skip, skip + limit).map((e) => e.eventId));
      return;
    }
    case 1: {
      const aggregateId = `${prefix}-${i % 5}`;
      const stream = await store.loadEvents(aggregateId, { fromVersion: limit });
      expect(stream.map((e) => e.eventId)).toEqual(truth.filter((e) => e.aggregateId === aggregateId).slice(limit - 1).map((e) => e.eventId));
      return;
    }
    default:
      expect(await store.getGlobalPosition()).toBe(truth.at(-1)!.globalPosition);
  }
}
