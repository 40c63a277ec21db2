import type { DeadLetterRecord } from '../coordination.js';
import type { ReplayRequestStorage } from '../replay-requests.js';
import { toDeadLetterRecord, type DeadLetterRow } from '../sql/dead-letter-row.js';
import type { SqliteDatabase } from './sqlite-types.js';

/** Dead-letter replay requests on SQLite (`replay_requested_at`, migration 3), run under the adapter's lock. */
export class SqliteReplayRequests implements ReplayRequestStorage {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly run: <T>(fn: () => T) => Promise<T>,
  ) {}

  requestReplay(subscriptionId: string, ids: readonly string[]): Promise<string[]> {
    return this.run(() =>
      this.db
        .prepare<{ id: string }>(
          `UPDATE eventuali_dead_letters SET replay_requested_at = ?
           WHERE subscription_id = ? AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
        )
        .all(Date.now(), subscriptionId, JSON.stringify(ids))
        .map((r) => r.id),
    );
  }

  replayRequests(subscriptionId: string): Promise<DeadLetterRecord[]> {
    return this.run(() =>
      this.db
        .prepare<DeadLetterRow>(
          `SELECT * FROM eventuali_dead_letters WHERE subscription_id = ? AND replay_requested_at IS NOT NULL
           ORDER BY failed_at, global_position`,
        )
        .all(subscriptionId)
        .map(toDeadLetterRecord),
    );
  }

  async clearReplayRequest(id: string): Promise<void> {
    await this.run(() => this.db.prepare('UPDATE eventuali_dead_letters SET replay_requested_at = NULL WHERE id = ?').run(id));
  }
}
