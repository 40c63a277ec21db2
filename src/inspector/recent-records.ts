import type { EventRecord } from '../core/event-record.js';
import type { StorageAdapter } from '../store/adapter.js';

/** How many positions below a guess are tried when the guessed position holds no event (a gap). */
const GAP_PROBES = 8n;

/**
 * About the last `count` events of the log, oldest first, without reading the log from the start:
 * reads after `head - count`. `readAll` needs a position the store returned (on PostgreSQL, one that
 * holds an event), so a guess that falls in a gap of the sequence tries the positions below it.
 */
export async function recentRecords(adapter: StorageAdapter, count: number): Promise<EventRecord[]> {
  const head = await adapter.globalPosition();
  if (head === 0n) return [];
  const guess = head - BigInt(count);
  if (guess <= 0n) return adapter.readAll({ after: 0n, limit: count });
  // After `head - count` there is at least the head event, so an empty page means the guess was a gap.
  for (let probe = 0n; probe < GAP_PROBES && guess - probe > 0n; probe++) {
    const page = await adapter.readAll({ after: guess - probe, limit: count });
    if (page.length > 0) return page;
  }
  return [];
}

/** Events per second in buckets over the last `windowSeconds`, counted from the records' timestamps. */
export interface EventRate {
  bucketSeconds: number;
  /** Oldest first; `start` is an ISO 8601 time. */
  buckets: { start: string; count: number }[];
  /** True when more events happened in the window than were read: the oldest buckets are undercounted. */
  partial: boolean;
}

export function eventRate(records: readonly EventRecord[], now: Date, windowSeconds: number, bucketSeconds: number, readLimit: number): EventRate {
  const bucketCount = Math.ceil(windowSeconds / bucketSeconds);
  const bucketMs = bucketSeconds * 1000;
  const end = Math.ceil(now.getTime() / bucketMs) * bucketMs;
  const start = end - bucketCount * bucketMs;
  const counts = new Array<number>(bucketCount).fill(0);
  for (const record of records) {
    const t = record.timestamp.getTime();
    if (t < start || t >= end) continue;
    const index = Math.floor((t - start) / bucketMs);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  const oldest = records[0]?.timestamp.getTime();
  return {
    bucketSeconds,
    buckets: counts.map((count, i) => ({ start: new Date(start + i * bucketMs).toISOString(), count })),
    partial: records.length >= readLimit && oldest !== undefined && oldest > start,
  };
}
