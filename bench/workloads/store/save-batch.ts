/** 1b: `save` of a new aggregate with 100 events, against a raw multi-row insert in one transaction. */
import { randomUUID } from 'node:crypto';
import { RAW_SETUP, RAW_WRITE } from '../../contenders/raw.js';
import { contenderWorkload } from './contender-case.js';

const EVENTS = 100;

export const saveBatch = contenderWorkload(
  'save-batch',
  {
    id: '1b',
    workload: `save ${EVENTS} events in one aggregate`,
    unit: 'saves/s',
    minRatio: 0.6,
    op: (contender) => () => contender.saveNew(randomUUID(), EVENTS),
  },
  `Save ${EVENTS} events of one aggregate in one transaction`,
  `eventuali: a new \`Account\`, \`open()\` then ${EVENTS - 1} \`deposit()\` commands, one \`store.save\`. ` +
    `${RAW_WRITE} ${RAW_SETUP} ` +
    `Figures are saves per second; events per second are ${EVENTS} times that.`,
);
