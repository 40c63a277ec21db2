/**
 * i3b: live latency from a commit in one process to the handler of a durable subscription in
 * another. A writer child appends one-event batches at a steady rate; a subscriber child (started
 * first, from the end) records when each arrives. Latency = handler time − the time right after
 * the writer's `append` resolved, on the machine's clock (both processes read
 * `performance.timeOrigin + performance.now()`; the parent checks the clocks agree by ping-pong).
 */
import { fileURLToPath } from 'node:url';
import { EventStore } from '../../../src/index.js';
import { eventualiUrl } from '../../contenders/eventuali.js';
import { startChild, type Child } from '../../lib/child.js';
import { check, describeError, emptyRow, type Check, type ResultRow } from '../../lib/results.js';
import { type BenchDatabase, type Location, type Target } from '../../lib/targets.js';
import type { Pong, Received, Written } from './live-latency-child.js';
import { durableWorkload, type BenchContext } from '../../lib/workload.js';

const CHILD = fileURLToPath(new URL('./live-latency-child.ts', import.meta.url));
const POLL_INTERVAL_MS = 100; // the library's default pollIntervalMs, passed explicitly
const RATES = [200, 10] as const;
const POSTGRES_P50_MS = 5;
const POSTGRES_P99_MS = 50;
const SQLITE_SLACK_MS = 10;

const now = (): number => performance.timeOrigin + performance.now();

/** The child's clock minus ours, from the ping with the shortest round trip. */
async function clockOffset(child: Child): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: Number.NaN, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 10; i++) {
    const sent = now();
    child.send({ type: 'ping' });
    const { at } = await child.next<Pong>('pong', 10_000);
    const back = now();
    if (back - sent < best.rttMs) best = { offsetMs: at - (sent + back) / 2, rttMs: back - sent };
  }
  return best;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

interface Measured {
  latencies: number[];
  written: number;
  delivered: number;
  duplicates: number;
  achievedRate: number;
  offsets: string;
  /** Handler time − the time before `append` was called (includes the commit itself): p50, p99. */
  fromCall: [number | null, number | null];
}

async function measure(location: Location, rate: number, seconds: number): Promise<Measured> {
  const count = Math.round(rate * seconds);
  const children: Child[] = [];
  try {
    const subscriber = startChild(CHILD, ['subscriber', JSON.stringify(location), String(POLL_INTERVAL_MS)]);
    children.push(subscriber);
    await subscriber.next('ready', 60_000);
    const writer = startChild(CHILD, ['writer', JSON.stringify(location), String(rate), String(count)]);
    children.push(writer);
    await writer.next('ready', 60_000);
    const [w, s] = [await clockOffset(writer), await clockOffset(subscriber)];
    writer.send({ type: 'go' });
    const written = await writer.next<Written>('written', seconds * 1000 + 120_000);
    subscriber.send({ type: 'finish', count });
    const { arrivals } = await subscriber.next<Received>('received', 60_000);
    writer.send({ type: 'close' });
    const first = new Map<number, number>();
    for (const [seq, at] of arrivals) if (!first.has(seq)) first.set(seq, at);
    const latencies: number[] = [];
    const fromCall: number[] = [];
    for (const [seq, at] of first) {
      latencies.push(at - (written.after[seq] as number));
      fromCall.push(at - (written.before[seq] as number));
    }
    latencies.sort((a, b) => a - b);
    fromCall.sort((a, b) => a - b);
    return {
      latencies,
      written: written.after.length,
      delivered: first.size,
      duplicates: arrivals.length - first.size,
      achievedRate: written.after.length / written.seconds,
      offsets:
        `clock offsets (child − parent, from the shortest of 10 pings): writer ${w.offsetMs.toFixed(2)} ms (rtt ${w.rttMs.toFixed(2)}), ` +
        `subscriber ${s.offsetMs.toFixed(2)} ms (rtt ${s.rttMs.toFixed(2)})`,
      fromCall: [percentile(fromCall, 50), percentile(fromCall, 99)],
    };
  } finally {
    for (const child of children) {
      child.kill();
      await child.exited();
    }
  }
}

async function runOn(ctx: BenchContext, target: Target, rate: number, seconds: number): Promise<ResultRow> {
  const postgres = target.kind === 'postgres';
  const row = emptyRow(
    'i3b',
    `commit → handler in another process, ${rate} appends/s for ${seconds} s`,
    postgres ? 'PostgreSQL (LISTEN/NOTIFY + polling)' : `SQLite file, synchronous=FULL, pollIntervalMs ${POLL_INTERVAL_MS}`,
    'ms',
    ['p50', 'p90', 'p99', 'max'],
  );
  let db: BenchDatabase | undefined;
  try {
    db = await target.fresh('i3b');
    await (await EventStore.create(eventualiUrl(db.location))).close(); // migrate once, before two processes open it
    const m = await measure(db.location, rate, seconds);
    const l = m.latencies;
    row.values = { p50: percentile(l, 50), p90: percentile(l, 90), p99: percentile(l, 99), max: l.at(-1) ?? null };
    row.notes.push(
      `${rate}/s: ${m.delivered} of ${m.written} probes delivered (${m.duplicates} redelivered), writer achieved ${m.achievedRate.toFixed(1)} appends/s; ` +
        `min ${fmt(l[0])} ms (negative when the handler ran before the writer saw its append resolve); measured from before the append call (includes the commit): p50 ${fmt(m.fromCall[0])} ms, p99 ${fmt(m.fromCall[1])} ms; ${m.offsets}`,
    );
    if (m.delivered < m.written) row.notes.push(`${m.written - m.delivered} probes never reached the handler within 10 s`);
  } catch (error) {
    row.notes.push(`did not run: ${describeError(error)}`);
  } finally {
    await db?.dispose().catch(() => {});
  }
  const checks: Check[] = postgres
    ? [check('p50 (ms)', row.values['p50'] ?? null, '<=', POSTGRES_P50_MS, 'value'), check('p99 (ms)', row.values['p99'] ?? null, '<=', POSTGRES_P99_MS, 'value')]
    : [check('p99 (ms)', row.values['p99'] ?? null, '<=', POLL_INTERVAL_MS + SQLITE_SLACK_MS, 'value')];
  row.checks.push(...checks);
  ctx.log(`  i3b ${target.kind} ${rate}/s: p50 ${fmt(row.values['p50'])} ms, p99 ${fmt(row.values['p99'])} ms, max ${fmt(row.values['max'])} ms`);
  return row;
}

function fmt(value: number | null | undefined): string {
  return value == null ? '—' : value.toFixed(2);
}

/** Both rates on one store; the sparse rate runs twice as long, for enough samples to give a p99. */
async function runRates(ctx: BenchContext, target: Target): Promise<ResultRow[]> {
  const seconds = ctx.settings.mode === 'full' ? 5 : 2;
  const rows: ResultRow[] = [];
  for (const rate of RATES) rows.push(await runOn(ctx, target, rate, rate === RATES[0] ? seconds : seconds * 2));
  return rows;
}

export const liveLatency = durableWorkload('live-latency', 'i3b', runRates, () => ({
  columns: ['p50', 'p90', 'p99', 'max'],
  title: 'Live latency: commit in one process → durable subscription handler in another',
  description:
    'A subscriber process runs `store.subscribe({ id, from: \'end\', pollIntervalMs: 100, handle })` (caught up before the run); ' +
    'a writer process appends one `BenchLatencyProbe` event per `store.append` to one stream at a steady rate (no burst when late). ' +
    'Latency = the handler\'s time − the time right after the writer\'s `append` resolved, both from the machine clock ' +
    '(`performance.timeOrigin + performance.now()` in each process; the ping-pong clock offsets are in the notes). ' +
    `Targets: PostgreSQL p50 ≤ ${POSTGRES_P50_MS} ms and p99 ≤ ${POSTGRES_P99_MS} ms; SQLite p99 ≤ pollIntervalMs + ${SQLITE_SLACK_MS} ms ` +
    `(${POLL_INTERVAL_MS + SQLITE_SLACK_MS} ms with the default ${POLL_INTERVAL_MS}). ${RATES[0]}/s is the headline; ` +
    `${RATES[1]}/s shows the idle back-off (polling relaxes from 5 ms to pollIntervalMs between events).`,
}));
