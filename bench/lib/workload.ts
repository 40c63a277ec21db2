/** What every workload gets and returns. */
import type { ContenderFactory } from '../contenders/contender.js';
import type { ResultRow, Section } from './results.js';
import type { Settings } from './settings.js';
import { durableTargets, type Target } from './targets.js';

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
  /** The subject first (eventuali), then what it is compared with (raw). */
  contenders: NamedContender[];
  log(line: string): void;
}

export interface Workload {
  /** For `--only`: the number (`1a`) or this name. */
  name: string;
  ids: string[];
  run(ctx: BenchContext): Promise<Section>;
}

/** What a section says besides its rows: its title, how it was measured, its value columns. */
export type SectionText = Pick<Section, 'title' | 'description' | 'columns'>;

/**
 * A workload that runs on each durable store of the run (SQLite FULL, then PostgreSQL): `runOn`
 * gives a store's rows, `text` the section's title, description and columns.
 */
export function durableWorkload(
  name: string,
  id: string,
  runOn: (ctx: BenchContext, target: Target) => Promise<ResultRow | ResultRow[]>,
  text: (ctx: BenchContext) => SectionText,
): Workload {
  return {
    name,
    ids: [id],
    async run(ctx) {
      const rows: ResultRow[] = [];
      for (const target of durableTargets(ctx.stores)) rows.push(...[await runOn(ctx, target)].flat());
      return { id, ...text(ctx), rows };
    },
  };
}
