import { describeValue, InvalidArgumentError } from '../../core/errors.js';
import { checkPositiveInteger } from '../../core/checks.js';
import { checkTimerMs } from '../../core/limits.js';

/**
 * How concurrent appends of one process share a commit (`groupCommit` of the SQL stores).
 *
 * @example
 * const store = await EventStore.create('sqlite://./events.db', { groupCommit: { maxBatch: 256 } });
 */
export interface GroupCommitOptions {
  /** Most appends one commit carries (default 128); the rest form the next group. */
  maxBatch?: number;
  /**
   * How long a commit that starts alone waits for more appends to join it (default 0: it goes at
   * once). Raising it trades every append's latency for fewer commits.
   */
  maxDelayMs?: number;
}

/** The settings a group committer runs with. */
export interface GroupCommitSettings {
  readonly maxBatch: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitSettings = { maxBatch: 128, maxDelayMs: 0 };

/** Most appends one group may carry: keeps one group's statement and memory bounded. */
export const MAX_GROUP_BATCH = 10_000;

/** Throws `InvalidArgumentError` (code `INVALID_ARGUMENT`) unless `value` is a valid `groupCommit` option. */
export function checkGroupCommitOption(value: unknown): asserts value is false | GroupCommitOptions | undefined {
  if (value === undefined || value === false) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('groupCommit', `must be false or an object { maxBatch?, maxDelayMs? }, got ${describeValue(value)}`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'maxBatch' && key !== 'maxDelayMs') {
      throw new InvalidArgumentError('groupCommit', `has no option ${JSON.stringify(key)} (maxBatch, maxDelayMs)`);
    }
  }
  if (o.maxBatch !== undefined) checkPositiveInteger('groupCommit.maxBatch', o.maxBatch, { max: MAX_GROUP_BATCH });
  if (o.maxDelayMs !== undefined) checkTimerMs('groupCommit.maxDelayMs', o.maxDelayMs, 0);
}

/** The settings of a checked option; `null` when group commit is off. */
export function groupCommitSettings(value: false | GroupCommitOptions | undefined, onByDefault: boolean): GroupCommitSettings | null {
  checkGroupCommitOption(value);
  if (value === false || (value === undefined && !onByDefault)) return null;
  return {
    maxBatch: value?.maxBatch ?? DEFAULT_GROUP_COMMIT.maxBatch,
    maxDelayMs: value?.maxDelayMs ?? DEFAULT_GROUP_COMMIT.maxDelayMs,
  };
}
