import type { DeadLetterRecord } from './coordination.js';

/**
 * Replaying a dead letter from another process (`eventuali dead-letters replay`, the inspector):
 * only the process running the subscription has its handler, so a replay is asked for in the
 * store, and the subscription's active instance hands the marked letters to its handler once more
 * (within about a second while it runs, or when it starts). Part of the storage port (optional:
 * every built-in adapter has it).
 */
export interface ReplayRequestStorage {
  /** Marks the subscription's dead letters with these ids for replay; resolves with the ids marked (unknown ones left out). */
  requestReplay(subscriptionId: string, ids: readonly string[]): Promise<string[]>;
  /** The subscription's dead letters marked for replay, oldest first. */
  replayRequests(subscriptionId: string): Promise<DeadLetterRecord[]>;
  /** Removes the mark: the replay ran and failed; the letter stays parked. */
  clearReplayRequest(id: string): Promise<void>;
}
