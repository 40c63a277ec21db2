/** How long and how often the bench measures, per mode. */
export interface Settings {
  mode: 'full' | 'quick';
  /** Each contender warms up this long before the measured rounds. */
  warmupMs: number;
  /** Length of one measured round. */
  durationMs: number;
  /** Measured rounds per contender (alternating order); the median is reported. */
  rounds: number;
  /** Repetitions of the whole-shape runs (issue item 2); the median is reported. */
  shapeRounds: number;
  /** Events `readAll` pages over in the memory workload. */
  memoryEvents: number;
  /** The peer comparison (eventuali, Emmett, raw): its own, shorter rounds, to fit its time budget. */
  peers: PeerSettings;
}

export interface PeerSettings {
  warmupMs: number;
  durationMs: number;
  rounds: number;
  /** Events in the log that the read-all and catch-up workloads read from the start. */
  logEvents: number;
  /** Timed passes over that log per contender (alternating order). */
  logRounds: number;
  /** A full GC before each contender's round (fairer, but two GCs cost tens of ms: quick mode skips them). */
  gcBetweenRounds: boolean;
}

export const FULL: Settings = {
  mode: 'full',
  warmupMs: 500,
  durationMs: 750,
  rounds: 10,
  shapeRounds: 5,
  memoryEvents: 1_000_000,
  peers: { warmupMs: 300, durationMs: 400, rounds: 3, logEvents: 100_000, logRounds: 2, gcBetweenRounds: true },
};

export const QUICK: Settings = {
  mode: 'quick',
  warmupMs: 150,
  durationMs: 300,
  rounds: 2,
  shapeRounds: 2,
  memoryEvents: 1_000_000,
  peers: { warmupMs: 50, durationMs: 100, rounds: 2, logEvents: 10_000, logRounds: 1, gcBetweenRounds: false },
};
