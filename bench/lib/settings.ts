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
}

export const FULL: Settings = {
  mode: 'full',
  warmupMs: 500,
  durationMs: 750,
  rounds: 10,
  shapeRounds: 5,
  memoryEvents: 1_000_000,
};

export const QUICK: Settings = {
  mode: 'quick',
  warmupMs: 150,
  durationMs: 300,
  rounds: 2,
  shapeRounds: 2,
  memoryEvents: 1_000_000,
};
