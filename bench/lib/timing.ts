/**
 * Throughput measurement: warm up, then run an operation from N concurrent callers for a fixed
 * time, in rounds that alternate the contenders, and keep the median round.
 */
import { roundsNote } from './format.js';
import { collectGarbage } from './gc.js';
import type { ResultRow } from './results.js';

/** One operation; `caller` is 0 … concurrency-1. */
export type Op = (caller: number) => Promise<unknown>;

export interface Throughput {
  ops: number;
  seconds: number;
  perSecond: number;
}

export interface RunOptions {
  /** Callers running `op` in a loop at once. */
  concurrency: number;
  /** Time each caller keeps starting new operations. */
  durationMs: number;
  /** Also stop after this many operations in total (default: no limit). */
  maxOps?: number;
}

/**
 * Runs `op` from `concurrency` callers until `durationMs` has passed (an operation started before
 * the deadline is waited for); returns completed operations per second of wall time.
 */
export async function runFor(op: Op, options: RunOptions): Promise<Throughput> {
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  let started = 0;
  let done = 0;
  const begin = performance.now();
  const deadline = begin + options.durationMs;
  const caller = async (index: number): Promise<void> => {
    while (performance.now() < deadline && started < maxOps) {
      started++;
      await op(index);
      done++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => caller(i)));
  const seconds = (performance.now() - begin) / 1000;
  return { ops: done, seconds, perSecond: done / seconds };
}

/** Times one run of `fn` (a whole shape, e.g. 1,000 saves); returns seconds. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const begin = performance.now();
  await fn();
  return (performance.now() - begin) / 1000;
}

export interface CompareOptions extends RunOptions {
  warmupMs: number;
  rounds: number;
}

export interface Entry {
  name: string;
  op: Op;
}

/** Per contender: the median round, and every round. */
export interface Compared {
  median: number;
  rounds: Throughput[];
}

/**
 * Warms every entry up, then measures them in `rounds` rounds, alternating the order each round
 * (A B, B A, …) so drift (a growing table, a warming page cache) does not favour one of them.
 */
export async function compare(entries: readonly Entry[], options: CompareOptions): Promise<Map<string, Compared>> {
  for (const entry of entries) await runFor(entry.op, { ...options, durationMs: options.warmupMs });
  const rounds = new Map<string, Throughput[]>(entries.map((e) => [e.name, []]));
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? entries : [...entries].reverse();
    for (const entry of order) {
      collectGarbage();
      rounds.get(entry.name)?.push(await runFor(entry.op, options));
    }
  }
  return new Map(
    [...rounds].map(([name, list]) => [name, { median: median(list.map((t) => t.perSecond)), rounds: list }]),
  );
}

/**
 * The median over rounds of `a`'s rate divided by `b`'s. Each round measures both back to back, so
 * a burst of load from elsewhere on the machine hits both sides of a pair, not one median.
 */
export function pairedRatio(a: Compared | undefined, b: Compared | undefined): number | null {
  if (!a || !b) return null;
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.rounds.length, b.rounds.length); i++) {
    const x = a.rounds[i]?.perSecond;
    const y = b.rounds[i]?.perSecond;
    if (x !== undefined && y !== undefined && y > 0) ratios.push(x / y);
  }
  return ratios.length > 0 ? median(ratios) : null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Puts compared results into a row: each median as its value, every round, and the rounds' range as a note. */
export function recordRounds(row: ResultRow, results: ReadonlyMap<string, Compared>): void {
  const rounds: Record<string, number[]> = {};
  for (const [name, result] of results) {
    row.values[name] = result.median;
    rounds[name] = result.rounds.map((r) => r.perSecond);
  }
  row.rounds = rounds;
  row.notes.push(roundsNote(rounds));
}
