/** The shape of every figure the bench reports: sections of rows, each row with its checks. */

/** A figure held against a target, e.g. `eventuali / raw = 0.82, target >= 0.7`. */
export interface Check {
  label: string;
  /** `ratio` prints as `0.82×`, `value` as a plain number. */
  kind: 'ratio' | 'value';
  value: number | null;
  target: { op: '>=' | '<='; value: number };
  /** null when the figure could not be measured. */
  met: boolean | null;
}

export interface ResultRow {
  /** The numbering, e.g. `1a`. */
  id: string;
  workload: string;
  /** The target store, e.g. `SQLite file, synchronous=FULL`. */
  store: string;
  unit: string;
  /** By column (contender or figure name); null when it did not run. */
  values: Record<string, number | null>;
  checks: Check[];
  notes: string[];
  /** Every measured round by column, where the figure is a median of rounds. */
  rounds?: Record<string, number[]>;
}

export interface Section {
  id: string;
  title: string;
  /** What was measured and how, for RESULTS.md. */
  description: string;
  /** Value columns, in order. */
  columns: string[];
  rows: ResultRow[];
}

/** A row with every column not measured yet (null), no checks and no notes. */
export function emptyRow(id: string, workload: string, store: string, unit: string, columns: readonly string[]): ResultRow {
  return { id, workload, store, unit, values: Object.fromEntries(columns.map((c) => [c, null])), checks: [], notes: [] };
}

export function check(label: string, value: number | null, op: '>=' | '<=', target: number, kind: Check['kind'] = 'ratio'): Check {
  const known = value !== null && Number.isFinite(value);
  return {
    label,
    kind,
    value: known ? value : null,
    target: { op, value: target },
    met: known ? (op === '>=' ? value >= target : value <= target) : null,
  };
}

/** `subject / baseline` when both ran, else null. */
export function ratio(subject: number | null | undefined, baseline: number | null | undefined): number | null {
  if (subject == null || baseline == null || baseline === 0) return null;
  return subject / baseline;
}

/** The first line of an error's message, for a note. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
