/**
 * 2: the shapes Eventuali (the Python original) publishes, on in-memory SQLite: 10,000 events
 * saved (it claims 25,126 events/s) and loaded (39,841 events/s). Shape here: 1,000 aggregates of
 * 10 events, saved one aggregate (one 10-event save) at a time, then each loaded back with `load`.
 */
import { randomUUID } from 'node:crypto';
import type { Contender } from '../../contenders/contender.js';
import { formatWhole } from '../../lib/format.js';
import { collectGarbage } from '../../lib/gc.js';
import { check, describeError, ratio, type ResultRow } from '../../lib/results.js';
import { median, timeOnce } from '../../lib/timing.js';
import type { BenchContext, NamedContender, Workload } from '../../lib/workload.js';

const AGGREGATES = 1000;
const EVENTS_PER_AGGREGATE = 10;
const EVENTS = AGGREGATES * EVENTS_PER_AGGREGATE;
const CLAIM = 'Eventuali (Python) claim';
const CLAIMED_SAVE = 25_126;
const CLAIMED_LOAD = 39_841;

/** One full shape on a fresh in-memory database: events/s saved, events/s loaded. */
async function shapeOnce(ctx: BenchContext, entry: NamedContender): Promise<{ save: number; load: number }> {
  const db = await ctx.memoryStore.fresh('shape');
  let contender: Contender | undefined;
  try {
    contender = await entry.open(db.location);
    const c = contender;
    const ids = Array.from({ length: AGGREGATES }, () => randomUUID());
    collectGarbage();
    const saveSeconds = await timeOnce(async () => {
      for (const id of ids) await c.saveNew(id, EVENTS_PER_AGGREGATE);
    });
    collectGarbage();
    let loaded = 0;
    const loadSeconds = await timeOnce(async () => {
      for (const id of ids) loaded += await c.loadAggregate(id);
    });
    if (loaded !== EVENTS) throw new Error(`${entry.name} loaded ${loaded} events of ${EVENTS}`);
    return { save: EVENTS / saveSeconds, load: EVENTS / loadSeconds };
  } finally {
    await contender?.close();
    await db.dispose();
  }
}

export const pythonShapes: Workload = {
  name: 'python-shapes',
  ids: ['2'],
  async run(ctx) {
    const save: Record<string, number[]> = {};
    const load: Record<string, number[]> = {};
    const notes: string[] = [];
    const runnable: NamedContender[] = [];
    for (const entry of ctx.contenders) {
      try {
        const warmup = await shapeOnce(ctx, entry);
        notes.push(`${entry.name} warm-up run (discarded): ${formatWhole(warmup.save)} saved/s, ${formatWhole(warmup.load)} loaded/s`);
        runnable.push(entry);
        save[entry.name] = [];
        load[entry.name] = [];
      } catch (error) {
        notes.push(`${entry.name} did not run: ${describeError(error)}`);
      }
    }
    for (let round = 0; round < ctx.settings.shapeRounds; round++) {
      const order = round % 2 === 0 ? runnable : [...runnable].reverse();
      for (const entry of order) {
        const result = await shapeOnce(ctx, entry);
        save[entry.name]?.push(result.save);
        load[entry.name]?.push(result.load);
      }
    }
    const subject = ctx.contenders[0]?.name ?? 'eventuali';
    const row = (workload: string, figures: Record<string, number[]>, claim: number): ResultRow => {
      const values: Record<string, number | null> = {};
      for (const entry of ctx.contenders) {
        const list = figures[entry.name];
        values[entry.name] = list && list.length > 0 ? median(list) : null;
      }
      values[CLAIM] = claim;
      return {
        id: '2',
        workload,
        store: ctx.memoryStore.label,
        unit: 'events/s',
        values,
        checks: [check(`${subject} / claim`, ratio(values[subject], claim), '>=', 2)],
        notes: figures === save ? notes : [],
        rounds: Object.fromEntries(Object.entries(figures)),
      };
    };
    const shape = `${AGGREGATES.toLocaleString('en-US')} aggregates × ${EVENTS_PER_AGGREGATE}`;
    const rows = [
      row(`${EVENTS.toLocaleString('en-US')} events saved (${shape}, one save per aggregate)`, save, CLAIMED_SAVE),
      row(`${EVENTS.toLocaleString('en-US')} events loaded (${shape}, one load per aggregate)`, load, CLAIMED_LOAD),
    ];
    for (const r of rows) {
      ctx.log(`  2 ${r.workload}: ${ctx.contenders.map((c) => `${c.name} ${formatWhole(r.values[c.name])}`).join(', ')} events/s`);
    }
    return {
      id: '2',
      title: "Eventuali's published shapes (10,000 events, in-memory SQLite)",
      description:
        `${AGGREGATES.toLocaleString('en-US')} aggregates × ${EVENTS_PER_AGGREGATE} events, saved one aggregate at a time ` +
        `(${AGGREGATES.toLocaleString('en-US')} saves of ${EVENTS_PER_AGGREGATE} events), then each aggregate loaded back ` +
        `(eventuali: \`store.load\`; raw: SELECT + JSON.parse). A fresh \`sqlite::memory:\` database per run; ` +
        `median of ${ctx.settings.shapeRounds} runs after a warm-up run. Target: at least 2× the figures Eventuali (Python) publishes.`,
      columns: [...ctx.contenders.map((c) => c.name), CLAIM],
      rows,
    };
  },
};
