import type { DeadLetterRecord, LeaseFence } from '../coordination.js';
import type { EventRecord } from '../event-log.js';
import { deadLetterValues, toDeadLetterRecord, type DeadLetterRow } from '../sql/dead-letter-row.js';
import { tuplesToEventRecords, type EventTuple } from '../sql/event-row.js';
import type { SqlCoordination } from '../sql/sql-adapter.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite-types.js';

/** Leases, checkpoints and dead letters in SQLite; synchronous, called under the adapter's lock. */
export class SqliteCoordination implements SqlCoordination {
  readonly #acquire: SqliteStatement;
  readonly #release: SqliteStatement;
  readonly #holder: SqliteStatement<{ owner: string }>;
  readonly #loadCheckpoint: SqliteStatement<{ position: number }>;
  readonly #saveCheckpoint: SqliteStatement;
  readonly #saveFencedCheckpoint: SqliteStatement;
  readonly #addDeadLetter: SqliteStatement;
  readonly #listDeadLetters: SqliteStatement<DeadLetterRow>;
  readonly #deleteDeadLetter: SqliteStatement;
  readonly #db: SqliteDatabase;
  readonly #eventsByIds: SqliteStatement<EventTuple>;
  readonly #journalMode: SqliteStatement<{ journal_mode: string }>;
  readonly #synchronous: SqliteStatement<{ synchronous: number }>;
  readonly #setSynchronous = new Map<number, SqliteStatement>();

  constructor(db: SqliteDatabase, eventsByIds: SqliteStatement<EventTuple>) {
    this.#db = db;
    this.#eventsByIds = eventsByIds;
    this.#journalMode = db.prepare('PRAGMA journal_mode');
    this.#synchronous = db.prepare('PRAGMA synchronous');
    // A lease is taken when free, expired, or already ours; `changes` tells whether we hold it.
    this.#acquire = db.prepare(
      `INSERT INTO eventuali_leases (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE eventuali_leases.owner = excluded.owner OR eventuali_leases.expires_at < ?`,
    );
    this.#release = db.prepare('DELETE FROM eventuali_leases WHERE name = ? AND owner = ?');
    this.#holder = db.prepare('SELECT owner FROM eventuali_leases WHERE name = ? AND expires_at >= ?');
    this.#loadCheckpoint = db.prepare('SELECT position FROM eventuali_checkpoints WHERE subscription_id = ?');
    const upsert = `ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`;
    this.#saveCheckpoint = db.prepare(
      `INSERT INTO eventuali_checkpoints (subscription_id, position, updated_at) VALUES (?, ?, ?) ${upsert}`,
    );
    this.#saveFencedCheckpoint = db.prepare(
      `INSERT INTO eventuali_checkpoints (subscription_id, position, updated_at)
       SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM eventuali_leases WHERE name = ? AND owner = ?) ${upsert}`,
    );
    this.#addDeadLetter = db.prepare(
      `INSERT INTO eventuali_dead_letters (id, subscription_id, global_position, event_id, event_type, error, attempts, failed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#listDeadLetters = db.prepare(
      'SELECT * FROM eventuali_dead_letters WHERE subscription_id = ? ORDER BY failed_at, global_position',
    );
    this.#deleteDeadLetter = db.prepare('DELETE FROM eventuali_dead_letters WHERE id = ?');
  }

  acquireLease(name: string, owner: string, ttlMs: number): boolean {
    const now = Date.now();
    return this.#acquire.run(name, owner, now + ttlMs, now).changes > 0;
  }

  leaseHolder(name: string): string | null {
    return this.#holder.get(name, Date.now())?.owner ?? null;
  }

  releaseLease(name: string, owner: string): void {
    this.#release.run(name, owner);
  }

  loadCheckpoint(subscriptionId: string): bigint | null {
    const row = this.#loadCheckpoint.get(subscriptionId);
    return row ? BigInt(row.position) : null;
  }

  /**
   * Outside a transaction, in WAL mode, the write commits without an fsync (synchronous NORMAL for
   * this one statement): a power loss may then lose it, but only with every later commit, since the
   * WAL is synced in order; the subscription then delivers those events again (at least once).
   * Inside a transaction (a projection's) it commits with the transaction, as configured.
   */
  saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): boolean {
    const level = this.#relaxableSynchronous();
    if (level === undefined) return this.#writeCheckpoint(subscriptionId, position, fence);
    this.#setSynchronousTo(1);
    try {
      return this.#writeCheckpoint(subscriptionId, position, fence);
    } finally {
      this.#setSynchronousTo(level);
    }
  }

  #writeCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): boolean {
    const result = fence
      ? this.#saveFencedCheckpoint.run(subscriptionId, position, Date.now(), fence.name, fence.owner)
      : this.#saveCheckpoint.run(subscriptionId, position, Date.now());
    return result.changes > 0;
  }

  /** The connection's synchronous level when a standalone write may skip its fsync (WAL, above NORMAL). */
  #relaxableSynchronous(): number | undefined {
    if (this.#db.inTransaction) return undefined;
    const level = this.#synchronous.get()?.synchronous;
    if (level === undefined || level <= 1) return undefined;
    return this.#journalMode.get()?.journal_mode === 'wal' ? level : undefined;
  }

  #setSynchronousTo(level: number): void {
    let statement = this.#setSynchronous.get(level);
    if (!statement) this.#setSynchronous.set(level, (statement = this.#db.prepare(`PRAGMA synchronous = ${Math.trunc(level)}`)));
    statement.run();
  }

  addDeadLetter(r: DeadLetterRecord): void {
    this.#addDeadLetter.run(...deadLetterValues(r, (position) => position, (failedAt) => failedAt.getTime()));
  }

  listDeadLetters(subscriptionId: string): DeadLetterRecord[] {
    return this.#listDeadLetters.all(subscriptionId).map(toDeadLetterRecord);
  }

  deleteDeadLetter(id: string): void {
    this.#deleteDeadLetter.run(id);
  }

  readEvents(eventIds: readonly string[]): EventRecord[] {
    return tuplesToEventRecords(this.#eventsByIds.all(JSON.stringify(eventIds)));
  }
}
