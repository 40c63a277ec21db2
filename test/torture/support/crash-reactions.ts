import { defineProjection, defineSaga, type EventStore, type Projection, type SagaDefinition } from '../../../src/index.js';
import { Noted } from './events.js';
import { sleep } from './wait.js';

/**
 * What the projection and saga crash tests run, in the child processes and in the parent alike.
 */

/**
 * A projection over Noted events with two tables: `<t>_seen` takes a plain INSERT per event (an
 * event applied twice breaks its key), `<t>_totals` adds up per stream (an event applied twice
 * shows in the sums). Both must equal a replay of the log from scratch.
 */
export function crashProjection(table: string, sql: (text: string) => string, onHandled?: () => Promise<void>): Projection {
  return defineProjection({
    name: `torture-${table}`,
    events: [Noted],
    setup: async ({ query }) => {
      await query(`CREATE TABLE IF NOT EXISTS ${table}_seen (event_id TEXT PRIMARY KEY, stream TEXT NOT NULL, n INTEGER NOT NULL)`);
      await query(`CREATE TABLE IF NOT EXISTS ${table}_totals (stream TEXT PRIMARY KEY, events INTEGER NOT NULL, total INTEGER NOT NULL)`);
    },
    reset: async ({ query }) => {
      await query(`DELETE FROM ${table}_seen`);
      await query(`DELETE FROM ${table}_totals`);
    },
    handlers: {
      Noted: async (event, { query }) => {
        await query(sql(`INSERT INTO ${table}_seen (event_id, stream, n) VALUES (?, ?, ?)`), [event.eventId, event.aggregateId, event.data.n]);
        await query(
          sql(`INSERT INTO ${table}_totals (stream, events, total) VALUES (?, 1, ?)
               ON CONFLICT (stream) DO UPDATE SET events = ${table}_totals.events + 1, total = ${table}_totals.total + excluded.total`),
          [event.aggregateId, event.data.n],
        );
        await onHandled?.();
      },
    },
  });
}

export const SAGA_STEPS = ['reserve', 'charge', 'confirm'] as const;

/** Creates the saga tables: every execution logged, and the idempotent effect per key. */
export async function createSagaTables(store: EventStore): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query('CREATE TABLE IF NOT EXISTS torture_saga_runs (saga_id TEXT NOT NULL, step TEXT NOT NULL)');
    await tx.query('CREATE TABLE IF NOT EXISTS torture_saga_effects (idempotency_key TEXT PRIMARY KEY)');
  });
}

/**
 * A three-step saga whose steps log each execution (a plain INSERT) and record their effect once
 * per idempotency key, as a real service would, then take a few milliseconds.
 */
export function crashSaga(store: EventStore, sql: (text: string) => string, onStep?: (sagaId: string, step: string) => Promise<void>): SagaDefinition {
  return defineSaga('torture-crash', {
    steps: SAGA_STEPS.map((name) => ({
      name,
      execute: async (ctx: { sagaId: string; idempotencyKey: string }) => {
        await store.transaction(async (tx) => {
          await tx.query(sql('INSERT INTO torture_saga_runs (saga_id, step) VALUES (?, ?)'), [ctx.sagaId, name]);
          await tx.query(sql('INSERT INTO torture_saga_effects (idempotency_key) VALUES (?) ON CONFLICT DO NOTHING'), [ctx.idempotencyKey]);
        });
        await onStep?.(ctx.sagaId, name);
        await sleep(Math.floor(Math.random() * 15));
        return { step: name };
      },
    })),
  });
}
