/**
 * Contenders each on a fresh database of its own, the way every comparison opens them: one that
 * fails to open (or to set up) is noted on the row and left out, the others still run.
 */
import type { Contender, ContenderFactory } from '../contenders/contender.js';
import { describeError, type ResultRow } from './results.js';
import type { BenchDatabase, Target } from './targets.js';

export interface OpenedContender {
  name: string;
  contender: Contender;
  db: BenchDatabase;
}

/** Opens `contenders` in order, each on `target.fresh(<prefix>_<i>)`, and runs `setup` on each. */
export async function openFresh(
  target: Target,
  row: ResultRow,
  prefix: string,
  contenders: readonly { name: string; open: ContenderFactory }[],
  setup?: (contender: Contender) => Promise<void>,
): Promise<OpenedContender[]> {
  const opened: OpenedContender[] = [];
  for (const [i, { name, open }] of contenders.entries()) {
    const db = await target.fresh(`${prefix}_${i}`);
    let contender: Contender | undefined;
    try {
      contender = await open(db.location);
      await setup?.(contender);
      opened.push({ name, contender, db });
    } catch (error) {
      row.notes.push(`${name} did not run: ${describeError(error)}`);
      await contender?.close().catch(() => {});
      await db.dispose();
    }
  }
  return opened;
}

/** Closes every opened contender and drops its database; a database that cannot be dropped is logged. */
export async function closeFresh(opened: readonly OpenedContender[], log: (line: string) => void): Promise<void> {
  for (const { contender, db } of opened) {
    await contender.close().catch(() => {});
    await db.dispose().catch((error: unknown) => log(`  could not drop a database: ${describeError(error)}`));
  }
}
