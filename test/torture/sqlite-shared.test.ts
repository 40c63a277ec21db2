import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStore, type Event } from '../../src/index.js';
import { killAll, spawnChild } from './support/child.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { TORTURE_EVENTS } from './support/events.js';
import { checkIntegrity } from './support/integrity.js';
import { recordFigures } from './support/results.js';
import { tempDir } from './support/targets.js';
import { until } from './support/wait.js';

// Two processes write one SQLite file at once (their own aggregates, shared ones with 'any' and
// with expected versions that conflict, and transactions), starting together on a new file so
// their migrations race too. No SQLITE_BUSY reaches them: errors, if any, are typed (a conflict,
// or CONNECTION past the busy timeout, which they retry). Afterwards the versions are contiguous,
// positions unique and increasing in commit order, and a subscription in a third connection saw
// every event once, in order.
const OPS = scale(250, 2_000);

type Message =
  | { kind: 'ready' }
  | { kind: 'ack'; events: { id: string; aggregateId: string; version: number; position: string }[] }
  | { kind: 'done'; stats: { acks: number; conflicts: number; busy: number } }
  | { kind: 'error'; error: string };

const temp = tempDir('sqlite-shared');
afterAll(async () => {
  await killAll();
  temp.remove();
});

async function twoWriters(label: string, busy: string): Promise<void> {
  const url = `sqlite://${join(temp.dir, `${label}.db`)}`;
  const children = ['A', 'B'].map((name) => spawnChild<Message>('sqlite-writer-child.ts', [url, name, busy, String(OPS)]));
  await Promise.all(children.map((child) => child.waitFor((m) => m.kind === 'ready' || m.kind === 'error', 'opening the store')));
  const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
  const seen: Event[] = [];
  const sub = store.subscribe({ id: 'third-connection', batchSize: 17, pollIntervalMs: 10, handle: (event) => void seen.push(event) });
  try {
    await sub.start();
    const codes = await Promise.all(children.map((child) => child.exited));
    const messages = children.flatMap((child) => child.messages);
    expect(messages.filter((m) => m.kind === 'error')).toEqual([]);
    expect(codes).toEqual([0, 0]);
    const report = await checkIntegrity(store, { increasingPositions: true });
    expect(report.problems).toEqual([]);
    // Every acknowledged event is stored at the version and position it was acknowledged with,
    // and each process's acknowledgements come in increasing position order (commit order).
    const stored = new Map(report.log.map((e) => [e.eventId, e]));
    let acked = 0;
    for (const child of children) {
      let last = 0n;
      for (const message of child.messages) {
        if (message.kind !== 'ack') continue;
        for (const event of message.events) {
          acked += 1;
          const found = stored.get(event.id);
          expect(found && { aggregateId: found.aggregateId, version: found.aggregateVersion, position: String(found.globalPosition) }, event.id).toEqual({
            aggregateId: event.aggregateId,
            version: event.version,
            position: event.position,
          });
          expect(BigInt(event.position) > last, `${event.id} after ${last}`).toBe(true);
          last = BigInt(event.position);
        }
      }
    }
    expect(acked).toBe(report.log.length);
    await until(() => seen.length >= report.log.length, 'the subscription saw every event', 60_000);
    await sub.stop();
    expect(seen.map((e) => e.eventId)).toEqual(report.log.map((e) => e.eventId));
    const stats = messages.flatMap((m) => (m.kind === 'done' ? [m.stats] : []));
    recordFigures(`sqlite-shared-${label}`, {
      processes: 2,
      busyTimeoutMs: busy,
      operations: stats.reduce((sum, s) => sum + s.acks, 0),
      events: report.log.length,
      conflictsTyped: stats.reduce((sum, s) => sum + s.conflicts, 0),
      busyTypedAsConnection: stats.reduce((sum, s) => sum + s.busy, 0),
      untypedErrors: 0,
      lost: 0,
      duplicated: 0,
    });
  } finally {
    await store.close();
  }
}

describe('SQLite shared by two writer processes', () => {
  it('with the default busy timeout: no error reaches the writers but typed conflicts', async () => {
    await twoWriters('default-timeout', 'default');
  }, TIMEOUT_MS);

  it('with a zero busy timeout: a busy database is a typed CONNECTION error, never a raw SQLITE_BUSY', async () => {
    await twoWriters('zero-timeout', '0');
  }, TIMEOUT_MS);
});
