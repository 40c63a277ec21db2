/** 1a: `store.save` of a new aggregate with one event, against a raw single-row insert commit. */
import { randomUUID } from 'node:crypto';
import { RAW_SETUP, RAW_WRITE } from '../../contenders/raw.js';
import { contenderWorkload } from './contender-case.js';

export const saveOne = contenderWorkload(
  'save-one',
  {
    id: '1a',
    workload: 'save a new 1-event aggregate',
    unit: 'saves/s',
    minRatio: 0.7,
    op: (contender) => () => contender.saveNew(randomUUID(), 1),
  },
  'Save a new aggregate with 1 event (one commit each)',
  'eventuali: `new Account(id)`, `account.open(…)` (zod-validated event), `await store.save(account)`. ' +
    `${RAW_WRITE} ${RAW_SETUP} Each contender writes new aggregates (random UUID ids) into its own fresh database; ` +
    'SQLite runs one caller, PostgreSQL eight concurrent callers.',
);
