// One of two processes writing one SQLite file: appends to its own aggregates (expected
// versions), to shared ones ('any', and expected versions that may conflict), and in
// transactions; reports every acknowledged append, and any error that is not a typed
// CONCURRENCY_CONFLICT or CONNECTION (a busy database), then exits.
import { EventStore, isEventualiError, type Event, type ExpectedVersion, type NewEvent } from '../../../src/index.js';
import { exitWithParent, report } from './child.js';
import { Noted } from './events.js';
import { describe } from './integrity.js';

exitWithParent();
const [url, name, busy, opsArg] = process.argv.slice(2) as [string, string, string, string];
const options = busy === 'default' ? {} : { busyTimeoutMs: Number(busy) };
const stats = { acks: 0, conflicts: 0, busy: 0 };

/** Runs `fn`, retrying while the database is busy (CONNECTION); other errors are returned. */
async function busyRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isEventualiError(error, 'CONNECTION')) throw error;
      stats.busy += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    }
  }
}

const store = await busyRetry(() => EventStore.create(url, options)).catch(async (error: unknown) => {
  await report({ kind: 'error', error: `opening: ${describe(error)}` });
  process.exit(1);
});
store.register(Noted);
await report({ kind: 'ready' });

let seq = 0;
const batch = (size: number): NewEvent[] => Array.from({ length: size }, () => Noted.create({ n: seq, text: name }, { eventId: `${name}-${seq++}` }));
const ack = (stored: readonly Event[]) =>
  report({ kind: 'ack', events: stored.map((e) => ({ id: e.eventId, aggregateId: e.aggregateId, version: e.aggregateVersion, position: String(e.globalPosition) })) });

async function append(aggregateId: string, expected: ExpectedVersion, events: NewEvent[]): Promise<Event[]> {
  return busyRetry(() => store.append('Shared', aggregateId, expected, events));
}

try {
  const own = [`${name}-own-0`, `${name}-own-1`];
  const versions = new Map<string, number>();
  for (let i = 0; i < Number(opsArg); i++) {
    const size = 1 + (i % 3);
    const shared = `shared-${i % 2}`;
    switch (i % 5) {
      case 0:
      case 1: {
        const aggregateId = own[i % 2]!;
        const stored = await append(aggregateId, versions.get(aggregateId) ?? 0, batch(size));
        versions.set(aggregateId, stored.at(-1)!.aggregateVersion);
        await ack(stored);
        break;
      }
      case 2:
        await ack(await append(shared, 'any', batch(size)));
        break;
      case 3: {
        // Load the shared stream's version, then append expecting it: the other process may win.
        for (let attempt = 0; attempt < 20; attempt++) {
          const version = await busyRetry(() => store.getAggregateVersion(shared));
          try {
            await ack(await append(shared, version, batch(size)));
            break;
          } catch (error) {
            if (!isEventualiError(error, 'CONCURRENCY_CONFLICT')) throw error;
            stats.conflicts += 1;
          }
        }
        break;
      }
      default: {
        const aggregateId = own[0]!;
        const stored = await busyRetry(() =>
          store.transaction(async (tx) => [
            ...(await tx.append('Shared', aggregateId, versions.get(aggregateId) ?? 0, batch(size))),
            ...(await tx.append('Shared', shared, 'any', batch(1))),
          ]),
        );
        versions.set(aggregateId, stored.filter((e) => e.aggregateId === aggregateId).at(-1)!.aggregateVersion);
        await ack(stored);
        await busyRetry(() => store.readAll({ fromPosition: stored[0]!.globalPosition, limit: 50 }));
      }
    }
    stats.acks += 1;
  }
  await store.close();
  await report({ kind: 'done', stats });
  process.exit(0);
} catch (error) {
  await report({ kind: 'error', error: describe(error) });
  process.exit(1);
}
