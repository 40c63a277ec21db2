/**
 * A handle on V8's garbage collector. `global.gc` exists only under `--expose-gc`; `npm run bench`
 * runs plain tsx, so the flag is switched on at run time and `gc` fetched from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = () => void;

function findGc(): Gc | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as Gc;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

const gc = findGc();

/** True when `collectGarbage()` really runs the GC. */
export const gcAvailable = gc !== undefined;

/** Runs a full GC when one is available (twice: the first pass frees what finalizers release). */
export function collectGarbage(): void {
  if (!gc) return;
  gc();
  gc();
}
