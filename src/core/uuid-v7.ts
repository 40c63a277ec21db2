import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered UUIDs (RFC 9562 version 7): 48 bits of milliseconds, then random bits. New ids land
 * at the end of the event-id index instead of on a random page of it, which keeps appends of
 * large batches fast on both SQLite and PostgreSQL.
 */
const POOL_SIZE = 16 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

export function uuidv7(now = Date.now()): string {
  if (offset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const o = offset;
  offset += 16;
  // 48-bit big-endian milliseconds (the division keeps it exact past 2^32), version 7, variant 10.
  pool.writeUIntBE(now, o, 6);
  pool[o + 6] = 0x70 | ((pool[o + 6] as number) & 0x0f);
  pool[o + 8] = 0x80 | ((pool[o + 8] as number) & 0x3f);
  const hex = pool.toString('hex', o, o + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
