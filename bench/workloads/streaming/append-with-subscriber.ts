/**
 * i3c: append throughput with a live durable subscription attached, against the same appends with
 * none. One store in this process appends new one-event aggregates (`store.append`); the subscriber
 * (no-op handler, default options, from the end) runs in another process or on the same store in
 * this one, switched on (and caught up) before a round and off after it. Rounds rotate the three
 * conditions, and each ratio is paired by round (median over rounds).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DurableSubscription, EventStore } from '../../../src/index.js';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { ACCOUNT_TYPE, AccountOpened, openedData } from '../../domain/account.js';
import { startChild, type Child } from '../../lib/child.js';
import { collectGarbage } from '../../lib/gc.js';
import { formatWhole as fmt } from '../../lib/format.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import { median, pairedRatio, runFor, type Compared, type Op, type Throughput } from '../../lib/timing.js';
import { plainLabel, type BenchDatabase, type Target } from '../../lib/targets.js';
import type { Stopped } from './subscriber-child.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const CHILD = fileURLToPath(new URL('./subscriber-child.ts', import.meta.url));
const MIN_RATIO = 0.9;
const NONE = 'no subscriber';
const WITH = 'with subscriber';
const CONDITIONS = ['none', 'other process', 'same process'] as const;
type Condition = (typeof CONDITIONS)[number];

interface Switch {
  on(): Promise<void>;
  /** Returns the events the subscriber handled while on. */
  off(): Promise<number>;
}

function childSwitch(child: Child): Switch {
  return {
    async on() {
      child.send({ type: 'command', action: 'start' });
      await child.next('started', 120_000);
    },
    async off() {
      child.send({ type: 'command', action: 'stop' });
      return (await child.next<Stopped>('stopped', 120_000)).handled;
    },
  };
}

function localSwitch(store: EventStore): Switch {
  let handled = 0;
  const subscription: DurableSubscription = store.subscribe({ id: 'bench-same-process', from: 'end', handle: () => void handled++ });
  return {
    async on() {
      await subscription.start();
      await subscription.waitUntilCaughtUp({ timeoutMs: 120_000 });
      handled = 0;
    },
    async off() {
      await subscription.stop();
      return handled;
    },
  };
}

async function runOn(ctx: BenchContext, target: Target): Promise<ResultRow[]> {
  const store = plainLabel(target);
  const callers = target.concurrency;
  const rows: ResultRow[] = (['other process', 'same process'] as const).map((where) =>
    emptyRow(
      'i3c',
      `1-event appends, ${callers} caller${callers > 1 ? 's' : ''}, subscriber in ${where === 'other process' ? 'another process' : 'the same process (same store)'}`,
      store,
      'appends/s',
      [NONE, WITH],
    ),
  );
  const results = new Map<Condition, Throughput[]>(CONDITIONS.map((c) => [c, []]));
  const handled = new Map<Condition, number[]>(CONDITIONS.map((c) => [c, []]));
  let db: BenchDatabase | undefined;
  let eventStore: EventStore | undefined;
  let child: Child | undefined;
  try {
    db = await target.fresh('i3c');
    const opened = (eventStore = await openEventualiStore(db.location));
    child = startChild(CHILD, [JSON.stringify(db.location)]);
    await child.next('ready', 60_000);
    const switches: Record<Condition, Switch | null> = { none: null, 'other process': childSwitch(child), 'same process': localSwitch(opened) };
    const op: Op = () => opened.append(ACCOUNT_TYPE, randomUUID(), 'no-stream', [AccountOpened.create(openedData(1))]);
    const measure = async (condition: Condition, durationMs: number): Promise<{ t: Throughput; handled: number }> => {
      const sub = switches[condition];
      await sub?.on();
      collectGarbage();
      const t = await runFor(op, { concurrency: callers, durationMs });
      return { t, handled: (await sub?.off()) ?? 0 };
    };
    for (const condition of CONDITIONS) await measure(condition, ctx.settings.warmupMs);
    for (let round = 0; round < ctx.settings.rounds; round++) {
      // Rotate the order, so no condition always follows the same one.
      const order = CONDITIONS.map((_, i) => CONDITIONS[(i + round) % CONDITIONS.length] as Condition);
      for (const condition of order) {
        const { t, handled: n } = await measure(condition, ctx.settings.durationMs);
        results.get(condition)?.push(t);
        handled.get(condition)?.push(n / t.ops);
      }
    }
  } catch (error) {
    for (const row of rows) row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    if (child) {
      child.send({ type: 'command', action: 'exit' });
      await child.exited();
    }
    await eventStore?.close().catch(() => {});
    await db?.dispose().catch(() => {});
  }
  const compared = (c: Condition): Compared | undefined => {
    const list = results.get(c) ?? [];
    return list.length > 0 ? { median: median(list.map((t) => t.perSecond)), rounds: list } : undefined;
  };
  const none = compared('none');
  (['other process', 'same process'] as const).forEach((where, i) => {
    const row = rows[i] as ResultRow;
    const withSub = compared(where);
    row.values = { [NONE]: none?.median ?? null, [WITH]: withSub?.median ?? null };
    row.rounds = { [NONE]: none?.rounds.map((t) => t.perSecond) ?? [], [WITH]: withSub?.rounds.map((t) => t.perSecond) ?? [] };
    row.checks.push(check('with / without', pairedRatio(withSub, none), '>=', MIN_RATIO));
    if (withSub) {
      const range = (list: number[]): string => `${fmt(Math.min(...list))}–${fmt(Math.max(...list))}`;
      const kept = handled.get(where) ?? [];
      row.notes.push(
        `rounds: ${NONE} ${range(row.rounds[NONE] ?? [])}, ${WITH} ${range(row.rounds[WITH] ?? [])}; the subscriber handled ` +
          `${(median(kept) * 100).toFixed(0)}% (median; min ${(Math.min(...kept) * 100).toFixed(0)}%) of a round's appends before it was stopped`,
      );
    }
    ctx.log(`  i3c ${target.kind} ${where}: none ${fmt(row.values[NONE])}, with ${fmt(row.values[WITH])} appends/s`);
  });
  return rows;
}

export const appendWithSubscriber = durableWorkload('append-with-subscriber', 'i3c', runOn, () => ({
  columns: [NONE, WITH],
  title: 'Append throughput with a live durable subscription attached',
  description:
    "`store.append('Account', randomUUID(), 'no-stream', [AccountOpened.create(…)])` from one caller on the SQLite file " +
    '(synchronous=FULL) and eight concurrent callers on PostgreSQL, with no subscriber, with a subscriber in another process ' +
    '(its own store on the same database), and with one on the same store in this process. The subscriber is ' +
    "`store.subscribe({ id, from: 'end', handle: () => {} })` with default options (batchSize 100, pollIntervalMs 100), " +
    'started and caught up before a round, stopped after it (its catch-up is not timed). Warm-up then ' +
    `rounds rotating the three conditions; the ratio is paired by round, target ≥ ${MIN_RATIO}×.`,
}));
