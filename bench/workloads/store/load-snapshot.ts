/**
 * 1d: `load` of a 10,000-event aggregate with `snapshotEvery: 100`, against the same load without
 * snapshots. Both stores are opened on the same database, so they read the same rows.
 */
import type { EventStore } from '../../../src/index.js';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { Account, applyEvents } from '../../domain/account.js';
import { formatWhole } from '../../lib/format.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { compare, pairedRatio, recordRounds, type Compared } from '../../lib/timing.js';
import type { BenchDatabase, Target } from '../../lib/targets.js';
import type { BenchContext, Workload } from '../../lib/workload.js';

const EVENTS = 10_000;
const SNAPSHOT_EVERY = 100;
/** Events written after the last snapshot: the mean tail for snapshotEvery 100 with small saves. */
const TAIL = 50;
const SEED_CHUNK = 1000;
const WITH = `snapshotEvery ${SNAPSHOT_EVERY}`;
const WITHOUT = 'no snapshots';

const streamId = (caller: number): string => `account-${caller}`;

/** Writes EVENTS - TAIL events through the snapshotting store (snapshot at that version), the tail through the other. */
async function seed(snapshotting: EventStore, plain: EventStore, id: string): Promise<void> {
  const account = new Account(id);
  for (let from = 1; from <= EVENTS - TAIL; from += SEED_CHUNK) {
    applyEvents(account, from, Math.min(EVENTS - TAIL, from + SEED_CHUNK - 1));
    await snapshotting.save(account);
  }
  const again = await plain.load(Account, id);
  if (!again) throw new Error(`${id} was not stored`);
  applyEvents(again, EVENTS - TAIL + 1, EVENTS);
  await plain.save(again);
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row = emptyRow('1d', `load a ${EVENTS.toLocaleString('en-US')}-event aggregate`, target.label, 'loads/s', [WITH, WITHOUT]);
  const stores: EventStore[] = [];
  let results = new Map<string, Compared>();
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('1d');
    const snapshotting = await openEventualiStore(db.location, { snapshotEvery: SNAPSHOT_EVERY });
    stores.push(snapshotting);
    const plain = await openEventualiStore(db.location);
    stores.push(plain);
    for (let caller = 0; caller < target.concurrency; caller++) {
      await seed(snapshotting, plain, streamId(caller));
      for (const store of stores) {
        const version = (await store.load(Account, streamId(caller)))?.version;
        if (version !== EVENTS) throw new Error(`loaded version ${String(version)} of ${EVENTS}`);
      }
    }
    results = await compare(
      [
        { name: WITH, op: (caller) => snapshotting.load(Account, streamId(caller)) },
        { name: WITHOUT, op: (caller) => plain.load(Account, streamId(caller)) },
      ],
      { ...ctx.settings, concurrency: target.concurrency },
    );
    recordRounds(row, results);
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    for (const store of stores) await store.close().catch(() => {});
    await db?.dispose().catch(() => {});
  }
  row.checks.push(check('with / without', pairedRatio(results.get(WITH), results.get(WITHOUT)), '>=', 10));
  ctx.log(`  1d ${target.label}: with ${formatWhole(row.values[WITH])}, without ${formatWhole(row.values[WITHOUT])} loads/s`);
  return row;
}

export const loadSnapshot: Workload = {
  name: 'snapshots',
  ids: ['1d'],
  async run(ctx) {
    const rows = [];
    for (const target of ctx.stores) rows.push(await runOn(ctx, target));
    return {
      id: '1d',
      title: `Load a ${EVENTS.toLocaleString('en-US')}-event aggregate: snapshots (every ${SNAPSHOT_EVERY}) vs none`,
      description:
        `One database, two stores on it: \`snapshotEvery: ${SNAPSHOT_EVERY}\` and no snapshots. Seeded with ` +
        `${(EVENTS - TAIL).toLocaleString('en-US')} events saved through the snapshotting store (newest snapshot at that version), ` +
        `then ${TAIL} more through the other, so a snapshot load reads the snapshot plus ${TAIL} events ` +
        `(the mean tail with snapshots every ${SNAPSHOT_EVERY}), and a plain load replays all ${EVENTS.toLocaleString('en-US')}.`,
      columns: [WITH, WITHOUT],
      rows,
    };
  },
};
