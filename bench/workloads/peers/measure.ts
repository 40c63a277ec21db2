/**
 * Measuring the peer comparison: throughput of an operation from N callers (bench/lib/timing.ts'
 * interleaved rounds), or timed passes over a seeded log; a contender whose operation throws is
 * noted and dropped from that row only, and the others are measured again without it.
 */
import type { Contender } from '../../contenders/contender.js';
import { formatWhole, roundsNote } from '../../lib/format.js';
import { collectGarbage } from '../../lib/gc.js';
import { check, describeError, emptyRow, ratio, type Check, type ResultRow } from '../../lib/results.js';
import type { PeerSettings } from '../../lib/settings.js';
import { median, pairedRatio, runFor, timeOnce, type Compared, type Op } from '../../lib/timing.js';

export const SUBJECT = 'eventuali';
export const PEER = 'emmett';
export const FLOOR = 'raw';
export const COLUMNS = [SUBJECT, PEER, FLOOR];

/** The targets: eventuali ≥ 1.5 × Emmett everywhere; ≥ 0.7 × raw on appends, ≥ 0.5 × on reads. */
export const PEER_MIN = 1.5;
export const FLOOR_MIN = { append: 0.7, read: 0.5 } as const;
export type Kind = keyof typeof FLOOR_MIN;

export function peerRow(id: string, workload: string, store: string, unit: string): ResultRow {
  return emptyRow(id, workload, store, unit, COLUMNS);
}

/** Per contender: the rates of each round (paired by index across contenders). */
type Rounds = Map<string, number[]>;

/** Fills the row's values, rounds, spread note and the two checks from per-round rates. */
export function finishRow(row: ResultRow, rounds: Rounds, kind: Kind): void {
  const compared = new Map<string, Compared>();
  row.rounds = {};
  for (const [name, rates] of rounds) {
    if (rates.length === 0) continue;
    row.values[name] = median(rates);
    row.rounds[name] = rates;
    compared.set(name, { median: median(rates), rounds: rates.map((perSecond) => ({ ops: 0, seconds: 0, perSecond })) });
  }
  if (Object.keys(row.rounds).length > 0) row.notes.push(roundsNote(row.rounds));
  const checks: Check[] = [
    check(`${SUBJECT} / ${PEER}`, pairedRatio(compared.get(SUBJECT), compared.get(PEER)), '>=', PEER_MIN),
    check(`${SUBJECT} / ${FLOOR}`, pairedRatio(compared.get(SUBJECT), compared.get(FLOOR)), '>=', FLOOR_MIN[kind]),
  ];
  row.checks.push(...checks);
}

/**
 * Interleaved time-boxed rounds of `op` for each contender, `callers` at once (as
 * bench/lib/timing.ts' `compare`). An operation that throws counts as failed, not done: the rate is
 * successful operations per second, and the failures are noted (Emmett's SQLite store, for one,
 * answers concurrent writers with SQLITE_BUSY). A contender none of whose operations succeed in a
 * round is dropped from the row.
 */
export async function measureOps(
  row: ResultRow,
  contenders: readonly Contender[],
  op: (contender: Contender) => Op,
  settings: PeerSettings,
  callers: number,
  kind: Kind,
): Promise<void> {
  const failures = new Map<string, { count: number; ops: number; first: string }>();
  const entries = contenders.map((contender) => {
    const inner = op(contender);
    const tally = { count: 0, ops: 0, first: '' };
    failures.set(contender.name, tally);
    const wrapped: Op = (caller) =>
      inner(caller).catch((error: unknown) => {
        tally.count++;
        if (!tally.first) tally.first = describeError(error);
      });
    return { name: contender.name, op: wrapped };
  });
  const options = { concurrency: callers, durationMs: settings.durationMs };
  for (const entry of entries) await runFor(entry.op, { ...options, durationMs: settings.warmupMs });
  for (const tally of failures.values()) tally.count = 0; // warm-up failures are not counted
  const rounds: Rounds = new Map(entries.map((e) => [e.name, []]));
  const dropped = new Set<string>();
  for (let r = 0; r < settings.rounds; r++) {
    for (const entry of r % 2 === 0 ? entries : [...entries].reverse()) {
      if (dropped.has(entry.name)) continue;
      const tally = failures.get(entry.name) as { count: number; ops: number; first: string };
      const before = tally.count;
      if (settings.gcBetweenRounds) collectGarbage();
      const result = await runFor(entry.op, options);
      const failed = tally.count - before;
      tally.ops += result.ops;
      if (failed >= result.ops) {
        dropped.add(entry.name);
        rounds.set(entry.name, []);
        continue;
      }
      rounds.get(entry.name)?.push((result.ops - failed) / result.seconds);
    }
  }
  for (const [name, tally] of failures) {
    if (tally.count === 0) continue;
    const what = dropped.has(name) ? 'did not run: every operation of a round failed' : `${tally.count.toLocaleString('en-US')} of ${tally.ops.toLocaleString('en-US')} operations failed (not counted)`;
    row.notes.push(`${name} ${what}; first error: ${tally.first}`);
  }
  finishRow(row, rounds, kind);
}

/**
 * `rounds` timed passes of `pass` per contender (order alternating each round); the rate is
 * `events / seconds`. A contender that throws is noted and skipped from then on.
 */
export async function measurePasses(
  row: ResultRow,
  contenders: readonly Contender[],
  pass: (contender: Contender, round: number) => Promise<number>,
  events: number,
  roundCount: number,
  log: (line: string) => void,
): Promise<void> {
  const rounds: Rounds = new Map(contenders.map((c) => [c.name, []]));
  const failed = new Set<string>();
  for (let round = 0; round < roundCount; round++) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      if (failed.has(contender.name)) continue;
      try {
        let read = 0;
        const seconds = await timeOnce(async () => (read = await pass(contender, round)));
        if (read < events) throw new Error(`read ${read} of ${events} events`);
        rounds.get(contender.name)?.push(events / seconds);
        log(`  ${row.id} ${row.store} ${contender.name}: ${formatWhole(events / seconds)} events/s (${seconds.toFixed(2)} s)`);
      } catch (error) {
        failed.add(contender.name);
        rounds.set(contender.name, []);
        row.notes.push(`${contender.name} did not run: ${describeError(error)}`);
      }
    }
  }
  finishRow(row, rounds, 'read');
}

/** `eventuali / raw of the medians …`: the unpaired ratios, for the notes. */
export function medianRatios(row: ResultRow): string {
  const parts = [PEER, FLOOR]
    .map((other) => [other, ratio(row.values[SUBJECT], row.values[other])] as const)
    .filter((pair): pair is readonly [string, number] => pair[1] !== null)
    .map(([other, value]) => `${SUBJECT} / ${other} ${value.toFixed(2)}×`);
  return parts.length > 0 ? `ratios of the medians (not paired by round): ${parts.join(', ')}` : '';
}
