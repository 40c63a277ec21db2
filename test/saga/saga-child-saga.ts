import { defineSaga, type EventStore, type SagaDefinition } from '../../src/index.js';

/**
 * Step 1 records a side effect in the store's database (a plain INSERT, so running it twice would
 * leave two rows); step 2 calls `onStep2` (the child process is killed there).
 */
export function crashSaga(store: EventStore, sql: (text: string) => string, onStep2?: () => Promise<void>): SagaDefinition {
  return defineSaga('crash', {
    steps: [
      {
        name: 'effect',
        execute: async (ctx) => {
          await store.transaction(async (tx) => {
            await tx.query('CREATE TABLE IF NOT EXISTS saga_effects (saga_id TEXT NOT NULL, idempotency_key TEXT NOT NULL)');
            await tx.query(sql('INSERT INTO saga_effects (saga_id, idempotency_key) VALUES (?, ?)'), [ctx.sagaId, ctx.idempotencyKey]);
          });
          return 'recorded';
        },
      },
      { name: 'wait', execute: async () => onStep2?.() },
    ],
  });
}
