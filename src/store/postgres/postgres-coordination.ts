import type { EventRecord } from '../event-log.js';
import { toEventRecords, type EventRow } from '../sql/event-row.js';
import type { DeadLetterRecord, LeaseFence } from '../coordination.js';
import { deadLetterValues, toDeadLetterRecord, type DeadLetterRow } from '../sql/dead-letter-row.js';
import type { SqlCoordination } from '../sql/sql-adapter.js';
import { ROW_TYPES, selectEventsByIds, statement, type Statement } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

/** The SQL of leases, checkpoints and dead letters in one schema. */
export interface CoordinationStatements {
  acquire: Statement;
  holder: Statement;
  release: Statement;
  loadCheckpoint: Statement;
  saveCheckpoint: Statement;
  saveFencedCheckpoint: Statement;
  addDeadLetter: Statement;
  listDeadLetters: Statement;
  deleteDeadLetter: Statement;
  readEvents: Statement;
}

export function coordinationStatements(schema: string): CoordinationStatements {
  const s = `"${schema}"`;
  const upsert = 'ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at';
  return {
    // Taken when free, expired, or already ours (a renewal); the database clock decides expiry.
    acquire: statement(
      `INSERT INTO ${s}.leases AS l (name, owner, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE l.owner = excluded.owner OR l.expires_at < now()`,
    ),
    holder: statement(`SELECT owner FROM ${s}.leases WHERE name = $1 AND expires_at >= now()`),
    release: statement(`DELETE FROM ${s}.leases WHERE name = $1 AND owner = $2`),
    loadCheckpoint: statement(`SELECT position FROM ${s}.checkpoints WHERE subscription_id = $1`),
    saveCheckpoint: statement(`INSERT INTO ${s}.checkpoints (subscription_id, position) VALUES ($1, $2) ${upsert}`),
    saveFencedCheckpoint: statement(
      `INSERT INTO ${s}.checkpoints (subscription_id, position)
       SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM ${s}.leases WHERE name = $3 AND owner = $4) ${upsert}`,
    ),
    addDeadLetter: statement(
      `INSERT INTO ${s}.dead_letters (id, subscription_id, global_position, event_id, event_type, error, attempts, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    ),
    listDeadLetters: statement(
      `SELECT id, subscription_id, global_position, event_id, event_type, error, attempts,
              round(extract(epoch FROM failed_at) * 1000)::float8 AS failed_at
       FROM ${s}.dead_letters WHERE subscription_id = $1 ORDER BY failed_at, global_position`,
    ),
    deleteDeadLetter: statement(`DELETE FROM ${s}.dead_letters WHERE id = $1`),
    readEvents: statement(selectEventsByIds(schema)),
  };
}

const run = (db: PostgresQueryable, st: Statement, values: unknown[]) =>
  db.query<Record<string, unknown>>({ name: st.name, text: st.text, values, types: ROW_TYPES });

/** Leases, checkpoints and dead letters in one schema, on a pool or on a transaction's connection. */
export class PostgresCoordination implements SqlCoordination {
  constructor(
    private readonly db: PostgresQueryable,
    private readonly st: CoordinationStatements,
  ) {}

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return ((await run(this.db, this.st.acquire, [name, owner, ttlMs])).rowCount ?? 0) > 0;
  }

  async leaseHolder(name: string): Promise<string | null> {
    const row = (await run(this.db, this.st.holder, [name])).rows[0];
    return row ? String(row['owner']) : null;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await run(this.db, this.st.release, [name, owner]);
  }

  async loadCheckpoint(subscriptionId: string): Promise<bigint | null> {
    const row = (await run(this.db, this.st.loadCheckpoint, [subscriptionId])).rows[0];
    return row ? BigInt(row['position'] as string) : null;
  }

  async saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    const result = fence
      ? await run(this.db, this.st.saveFencedCheckpoint, [subscriptionId, position.toString(), fence.name, fence.owner])
      : await run(this.db, this.st.saveCheckpoint, [subscriptionId, position.toString()]);
    return (result.rowCount ?? 0) > 0;
  }

  async addDeadLetter(record: DeadLetterRecord): Promise<void> {
    await run(this.db, this.st.addDeadLetter, deadLetterValues(record, (position) => position.toString(), (failedAt) => failedAt));
  }

  async listDeadLetters(subscriptionId: string): Promise<DeadLetterRecord[]> {
    const { st } = this;
    const { rows } = await this.db.query<DeadLetterRow>({ name: st.listDeadLetters.name, text: st.listDeadLetters.text, values: [subscriptionId], types: ROW_TYPES });
    return rows.map(toDeadLetterRecord);
  }

  async deleteDeadLetter(id: string): Promise<void> {
    await run(this.db, this.st.deleteDeadLetter, [id]);
  }

  async readEvents(eventIds: readonly string[]): Promise<EventRecord[]> {
    const { st } = this;
    const { rows } = await this.db.query<EventRow>({ name: st.readEvents.name, text: st.readEvents.text, values: [[...eventIds]], types: ROW_TYPES });
    return toEventRecords(rows);
  }
}
