/** 1c: `load` of a 1,000-event aggregate, against a raw ordered SELECT plus JSON.parse of each row. */
import { RAW_READ, RAW_SETUP } from '../../contenders/raw.js';
import { contenderWorkload } from './contender-case.js';

const EVENTS = 1000;

/** One stream per caller, so concurrent callers do not all read the same rows. */
const streamId = (caller: number): string => `account-${caller}`;

export const loadStream = contenderWorkload(
  'load',
  {
    id: '1c',
    workload: `load a ${EVENTS.toLocaleString('en-US')}-event aggregate`,
    unit: 'loads/s',
    minRatio: 0.5,
    async setup(contender, target) {
      for (let caller = 0; caller < target.concurrency; caller++) {
        await contender.seedStream(streamId(caller), EVENTS, EVENTS);
        const version = await contender.loadAggregate(streamId(caller));
        if (version !== EVENTS) throw new Error(`${contender.name} read ${version} events of ${EVENTS}`);
      }
    },
    op: (contender) => (caller) => contender.loadAggregate(streamId(caller)),
  },
  `Load an aggregate of ${EVENTS.toLocaleString('en-US')} events`,
  'eventuali: `store.load(Account, id)` (read, JSON decode, zod validation on read — the default — and replay ' +
    `into the aggregate). ${RAW_READ} ${RAW_SETUP} Each caller loads its own aggregate.`,
);
