/** What every workload gets and returns. */
import type { ContenderFactory } from '../contenders/contender.js';
import type { Section } from '../lib/results.js';
import type { Settings } from '../lib/settings.js';
import type { Target } from '../lib/targets.js';

export interface NamedContender {
  name: string;
  open: ContenderFactory;
  /** The ratio eventuali must reach against this contender, if the issue sets one per workload. */
  isFloor?: boolean;
}

export interface BenchContext {
  settings: Settings;
  /** SQLite FULL, SQLite NORMAL, PostgreSQL (the item 1 stores). */
  stores: Target[];
  /** In-memory SQLite (item 2). */
  memoryStore: Target;
  /** The subject first (eventuali), then what it is compared with (raw, later Emmett). */
  contenders: NamedContender[];
  log(line: string): void;
}

export interface Workload {
  /** For `--only`: the number (`1a`) or this name. */
  name: string;
  ids: string[];
  run(ctx: BenchContext): Promise<Section>;
}
