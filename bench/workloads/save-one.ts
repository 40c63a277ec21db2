/** 1a: `store.save` of a new aggregate with one event, against a raw single-row insert commit. */
import { randomUUID } from 'node:crypto';
import { RAW_SETUP, RAW_WRITE } from '../contenders/raw.js';
import { runContenderCase } from './contender-case.js';
import type { Workload } from './workload.js';

export const saveOne: Workload = {
  name: 'save-one',
  ids: ['1a'],
  async run(ctx) {
    const rows = [];
    for (const store of ctx.stores) {
      rows.push(
        await runContenderCase(ctx, store, {
          id: '1a',
          workload: 'save a new 1-event aggregate',
          unit: 'saves/s',
          minRatio: 0.7,
          op: (contender) => () => contender.createStream(randomUUID(), 1),
        }),
      );
    }
    return {
      id: '1a',
      title: 'Save a new aggregate with 1 event (one commit each)',
      description:
        'eventuali: `new Account(id)`, `account.open(…)` (zod-validated event), `await store.save(account)`. ' +
        `${RAW_WRITE} ${RAW_SETUP} Each contender writes new aggregates (random UUID ids) into its own fresh database; ` +
        'SQLite runs one caller, PostgreSQL eight concurrent callers.',
      columns: ctx.contenders.map((c) => c.name),
      rows,
    };
  },
};
