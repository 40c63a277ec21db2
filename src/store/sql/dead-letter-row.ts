import type { DeadLetterRecord } from '../coordination.js';

/** A dead letter as both SQL adapters select it (`failed_at` in milliseconds since the epoch). */
export interface DeadLetterRow {
  id: string;
  subscription_id: string;
  /** A number (SQLite) or decimal text (PostgreSQL). */
  global_position: number | string | bigint;
  event_id: string;
  event_type: string;
  error: string;
  attempts: number;
  failed_at: number;
}

export function toDeadLetterRecord(row: DeadLetterRow): DeadLetterRecord {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    globalPosition: BigInt(row.global_position),
    eventId: row.event_id,
    eventType: row.event_type,
    error: row.error,
    attempts: row.attempts,
    failedAt: new Date(row.failed_at),
  };
}

/**
 * The insert's values, in the column order both adapters' INSERT names: `position` and `failedAt`
 * as the driver binds them (a bigint or its text; a Date or its milliseconds).
 */
export function deadLetterValues<P, T>(r: DeadLetterRecord, position: (value: bigint) => P, failedAt: (value: Date) => T): unknown[] {
  return [r.id, r.subscriptionId, position(r.globalPosition), r.eventId, r.eventType, r.error, r.attempts, failedAt(r.failedAt)];
}
