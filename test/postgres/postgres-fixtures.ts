import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type pg from 'pg';
import type { AppendBatch, NewEventRecord } from '../../src/index.js';
import type { PostgresAdapter } from '../../src/postgres.js';

/** Data in jsonb's own text form, so what append returns equals what reads return. */
export function event(eventType = 'Noted'): NewEventRecord {
  return { eventId: randomUUID(), eventType, schemaVersion: 1, timestamp: new Date(), metadata: '{}', data: '{"n": 1}' };
}

export function batch(aggregateId: string, expectedVersion: AppendBatch['expectedVersion'] = 'any', count = 1): AppendBatch {
  return { aggregateId, aggregateType: 'Note', expectedVersion, events: Array.from({ length: count }, () => event()) };
}

export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves once some session of this database waits for a lock (a blocked insert). */
export async function someoneWaitsForALock(admin: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await admin.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Pages through readAll after `from`, one event at a time. */
export async function pageIds(adapter: PostgresAdapter, from: bigint): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const [next] = await adapter.readAll({ after: from, limit: 1 });
    if (!next) return ids;
    ids.push(next.aggregateId);
    from = next.globalPosition;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
