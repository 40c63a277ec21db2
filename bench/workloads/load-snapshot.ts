/**
 * 1d: `load` of a 10,000-event aggregate with `snapshotEvery: 100`, against the same load without
 * snapshots. Both stores are opened on the same database, so they read the same rows.
 */
import { EventStore, type CreateStoreOptions } from '../../src/index.js';
import { eventualiUrl } from '../contenders/eventuali.js';
import { Account, AccountOpened, MoneyDeposited, depositData, openedData } from '../domain/account.js';
import { check, describeError, type ResultRow } from '../lib/results.js';
import { compare, pairedRatio, type Compared } from '../lib/timing.js';
import { spread } from './contender-case.js';
import type { BenchDatabase, Target } from '../lib/targets.js';
import type { BenchContext, Workload } from './workload.js';

const EVENTS = 10_000;
const SNAPSHOT_EVERY = 100;
/** Events written after the last snapshot: the mean tail for snapshotEvery 100 with small saves. */
const TAIL = 50;
const SEED_CHUNK = 1000;
const WITH = `snapshotEvery ${SNAPSHOT_EVERY}`;
const WITHOUT = 'no snapshots';

const streamId = (caller: number): string => `account-${caller}`;

function applyEvents(account: Account, from: number, to: number): void {
  for (let version = from; version <= to; version++) {
    if (version === 1) account.open(openedData(version));
    else account.deposit(depositData(version));
  }
}

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

async function open(db: BenchDatabase, snapshotEvery?: number): Promise<EventStore> {
  const options: CreateStoreOptions = {};
  if (db.location.kind === 'sqlite') options.synchronous = db.location.synchronous;
  if (snapshotEvery !== undefined) options.snapshotEvery = snapshotEvery;
  const store = await EventStore.create(eventualiUrl(db.location), options);
  return store.register(AccountOpened, MoneyDeposited);
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow> {
  const row: ResultRow = {
    id: '1d',
    workload: `load a ${EVENTS.toLocaleString('en-US')}-event aggregate`,
    store: target.label,
    unit: 'loads/s',
    values: { [WITH]: null, [WITHOUT]: null },
    checks: [],
    notes: [],
  };
  const stores: EventStore[] = [];
  let results = new Map<string, Compared>();
  let db: BenchDatabase | undefined;
  try {
    if (target.unavailable) throw new Error(target.unavailable);
    db = await target.fresh('1d');
    const snapshotting = await open(db, SNAPSHOT_EVERY);
    stores.push(snapshotting);
    const plain = await open(db);
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
    row.rounds = {};
    for (const [name, result] of results) {
      row.values[name] = result.median;
      row.rounds[name] = result.rounds.map((r) => r.perSecond);
    }
    row.notes.push(spread(row.rounds));
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    for (const store of stores) await store.close().catch(() => {});
    await db?.dispose().catch(() => {});
  }
  row.checks.push(check('with / without', pairedRatio(results.get(WITH), results.get(WITHOUT)), '>=', 10));
  ctx.log(`  1d ${target.label}: with ${fmt(row.values[WITH])}, without ${fmt(row.values[WITHOUT])} loads/s`);
  return row;
}

function fmt(value: number | null | undefined): string {
  return value == null ? '—' : Math.round(value).toLocaleString('en-US');
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
