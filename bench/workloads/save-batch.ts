/** 1b: `save` of a new aggregate with 100 events, against a raw multi-row insert in one transaction. */
import { randomUUID } from 'node:crypto';
import { RAW_SETUP, RAW_WRITE } from '../contenders/raw.js';
import { runContenderCase } from './contender-case.js';
import type { Workload } from './workload.js';

const EVENTS = 100;

export const saveBatch: Workload = {
  name: 'save-batch',
  ids: ['1b'],
  async run(ctx) {
    const rows = [];
    for (const store of ctx.stores) {
      rows.push(
        await runContenderCase(ctx, store, {
          id: '1b',
          workload: `save ${EVENTS} events in one aggregate`,
          unit: 'saves/s',
          minRatio: 0.6,
          op: (contender) => () => contender.createStream(randomUUID(), EVENTS),
        }),
      );
    }
    return {
      id: '1b',
      title: `Save ${EVENTS} events of one aggregate in one transaction`,
      description:
        `eventuali: a new \`Account\`, \`open()\` then ${EVENTS - 1} \`deposit()\` commands, one \`store.save\`. ` +
        `${RAW_WRITE} ${RAW_SETUP} ` +
        `Figures are saves per second; events per second are ${EVENTS} times that.`,
      columns: ctx.contenders.map((c) => c.name),
      rows,
    };
  },
};
