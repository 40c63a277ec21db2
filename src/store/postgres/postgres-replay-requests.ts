import type { DeadLetterRecord } from '../coordination.js';
import type { ReplayRequestStorage } from '../replay-requests.js';
import { toDeadLetterRecord, type DeadLetterRow } from '../sql/dead-letter-row.js';
import { ROW_TYPES } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

/** Dead-letter replay requests in one schema (`replay_requested_at`, migration 3), through the adapter's `call`. */
export class PostgresReplayRequests implements ReplayRequestStorage {
  readonly #s: string;

  constructor(
    schema: string,
    private readonly pool: PostgresQueryable,
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.#s = `"${schema}"`;
  }

  requestReplay(subscriptionId: string, ids: readonly string[]): Promise<string[]> {
    return this.call(async () => {
      const { rows } = await this.pool.query<{ id: string }>({
        text: `UPDATE ${this.#s}.dead_letters SET replay_requested_at = now() WHERE subscription_id = $1 AND id = ANY($2::text[]) RETURNING id`,
        values: [subscriptionId, [...ids]],
        types: ROW_TYPES,
      });
      return rows.map((r) => r.id);
    });
  }

  replayRequests(subscriptionId: string): Promise<DeadLetterRecord[]> {
    return this.call(async () => {
      const { rows } = await this.pool.query<DeadLetterRow>({
        text: `SELECT id, subscription_id, global_position, event_id, event_type, error, attempts,
                 round(extract(epoch FROM failed_at) * 1000)::float8 AS failed_at
               FROM ${this.#s}.dead_letters WHERE subscription_id = $1 AND replay_requested_at IS NOT NULL
               ORDER BY failed_at, global_position`,
        values: [subscriptionId],
        types: ROW_TYPES,
      });
      return rows.map(toDeadLetterRecord);
    });
  }

  async clearReplayRequest(id: string): Promise<void> {
    await this.call(() => this.pool.query({ text: `UPDATE ${this.#s}.dead_letters SET replay_requested_at = NULL WHERE id = $1`, values: [id] }));
  }
}
