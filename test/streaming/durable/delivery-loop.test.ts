import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, defineProjection, EventStore, MemoryAdapter, type Event, type HandlerContext } from '../../../src/index.js';
import { Pinged, ping, recorder, streamId, until } from './fixtures.js';

// The run loop's own rules, on the memory adapter (deterministic, no database): when checkpoints
// are stored, how handlers are called, what a store that cannot be reached does, which options
// are refused.

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function open(adapter = new MemoryAdapter()): { store: EventStore; adapter: MemoryAdapter } {
  const store = new EventStore(adapter).register(Pinged);
  stores.push(store);
  return { store, adapter };
}

const uniqueId = (): string => `sub-${streamId()}`;

describe('durable subscription: checkpoints', () => {
  it('has stored the checkpoint of every handled event once waitUntilCaughtUp() resolves', async () => {
    const { store, adapter } = open();
    const events = await ping(store, 57);
    const id = uniqueId();
    const sub = store.subscribe({ id, batchSize: 5, handle: () => undefined });
    await sub.start();
    await sub.waitUntilCaughtUp();
    expect(await adapter.loadCheckpoint(id)).toBe(events.at(-1)!.globalPosition);
    expect(sub.position).toBe(events.at(-1)!.globalPosition);
    await sub.stop();
  });

  it('stores what was handled when stopped in the middle of a catch-up, and the next instance goes on after it', async () => {
    const { store, adapter } = open();
    const events = await ping(store, 20);
    const id = uniqueId();
    const first: Event[] = [];
    const sub = store.subscribe({
      id,
      batchSize: 1,
      handle: (event) => {
        first.push(event);
        if (first.length === 7) void sub.stop();
      },
    });
    const stopped = new Promise((resolve) => sub.once('stopped', resolve));
    await sub.start();
    await stopped;
    expect(first).toHaveLength(7);
    expect(await adapter.loadCheckpoint(id)).toBe(events[6]!.globalPosition);
    await sub.stop();

    // Another store on the same database, as another process would have.
    const second = recorder();
    const next = open(adapter).store.subscribe({ id, handle: second.handle });
    await next.start();
    await next.waitUntilCaughtUp();
    expect(second.seen.map((e) => e.eventId)).toEqual(events.slice(7).map((e) => e.eventId));
    await next.stop();
  });

  it("stores the checkpoint up to the event before the failing one with onError: 'stop'", async () => {
    const { store, adapter } = open();
    const events = await ping(store, 30);
    const id = uniqueId();
    const sub = store.subscribe({
      id,
      batchSize: 4,
      onError: 'stop',
      retry: { attempts: 1 },
      handle: (event) => {
        if (event.eventId === events[21]!.eventId) throw new Error('poison');
      },
    });
    const stopped = new Promise<Error | undefined>((resolve) => sub.once('stopped', resolve));
    await sub.start();
    expect((await stopped)?.message).toBe('poison');
    expect(await adapter.loadCheckpoint(id)).toBe(events[20]!.globalPosition);
  });
});

describe('durable subscription: filters', () => {
  it('moves past the events its filters skip, so that they are not read again, and still delivers the next match', async () => {
    const { store, adapter } = open();
    const id = uniqueId();
    const { seen, handle } = recorder();
    const sub = store.subscribe({ id, aggregateTypes: ['Wanted'], handle });
    await sub.start();
    await sub.waitUntilCaughtUp();
    const skipped = await ping(store, 30);
    await until(() => sub.position === skipped.at(-1)!.globalPosition);
    const [wanted] = await store.append('Wanted', streamId(), 'no-stream', [Pinged.create({ n: 1 })]);
    await sub.waitUntilCaughtUp();
    expect(seen.map((e) => e.eventId)).toEqual([wanted!.eventId]);
    await ping(store, 3);
    await sub.stop();
    const stored = await adapter.loadCheckpoint(id);
    expect(stored! >= wanted!.globalPosition).toBe(true);
    expect(stored).toBe(sub.position);
  });
});

describe('durable subscription: handlers', () => {
  it('calls synchronous and asynchronous handlers in log order, retrying each kind of failure', async () => {
    const { store } = open();
    const events = await ping(store, 12);
    const calls: string[] = [];
    const failedOnce = new Set<string>();
    const sub = store.subscribe({
      id: uniqueId(),
      batchSize: 5,
      retry: { attempts: 2, backoffMs: 1 },
      handle: (event, ctx) => {
        const n = events.findIndex((e) => e.eventId === event.eventId);
        calls.push(`${n}:${ctx.attempt}`);
        const fail = n % 4 === 1 && !failedOnce.has(event.eventId);
        if (fail) failedOnce.add(event.eventId);
        if (n % 3 === 0) return fail ? Promise.reject(new Error('async')) : Promise.resolve();
        // A thenable that is not a Promise counts as asynchronous too.
        if (n % 3 === 1) return { then: (ok: () => void, ko: (e: Error) => void) => (fail ? ko(new Error('thenable')) : ok()) };
        if (fail) throw new Error('sync');
        return 'ignored';
      },
    });
    const errors: string[] = [];
    sub.on('error', (error, info) => errors.push(`${error.message}:${info.attempt}:${info.willRetry}`));
    await sub.start();
    await sub.waitUntilCaughtUp();
    expect(calls).toEqual(['0:1', '1:1', '1:2', '2:1', '3:1', '4:1', '5:1', '5:2', '6:1', '7:1', '8:1', '9:1', '9:2', '10:1', '11:1']);
    expect(errors).toEqual(['thenable:1:true', 'sync:1:true', 'async:1:true']);
    expect(await sub.listDeadLetters()).toEqual([]);
    await sub.stop();
  });

  it('gives each handler call a context whose save works when taken off it', async () => {
    const { store } = open();
    const [cause] = await ping(store, 1);
    let ctx: HandlerContext | undefined;
    const sub = store.subscribe({ id: uniqueId(), handle: (_event, c) => void (ctx = c) });
    await sub.start();
    await sub.waitUntilCaughtUp();
    await sub.stop();
    expect(ctx).toMatchObject({ attempt: 1, metadata: { correlationId: cause!.eventId, causationId: cause!.eventId } });
    const { save } = ctx!;
    expect(typeof save).toBe('function');
  });

  it('lets timers run during a long catch-up, so the lease is renewed', async () => {
    const { store } = open();
    await ping(store, 200);
    let seen = 0;
    let seenWhenTimerRan: number | undefined;
    const sub = store.subscribe({
      id: uniqueId(),
      batchSize: 10,
      handle: () => {
        // Busy for 1 ms per event: 200 ms without a real wait on the memory adapter.
        const until = performance.now() + 1;
        while (performance.now() < until);
        seen++;
      },
    });
    await sub.start();
    setTimeout(() => (seenWhenTimerRan = seen), 0);
    await sub.waitUntilCaughtUp();
    await sub.stop();
    expect(seenWhenTimerRan).toBeDefined();
    expect(seenWhenTimerRan).toBeLessThan(200);
  });
});

/** A memory store whose handler-side saves fail with ConnectionError until `down` is false. */
class FlakyStoreAdapter extends MemoryAdapter {
  down = false;

  override async append(...args: Parameters<MemoryAdapter['append']>): ReturnType<MemoryAdapter['append']> {
    if (this.down) throw new ConnectionError('the database went away');
    return super.append(...args);
  }
}

describe('durable subscription: a store that cannot be reached', () => {
  it('neither parks nor stops on an event whose handler cannot reach the store; it is delivered again once the store is back', async () => {
    const adapter = new FlakyStoreAdapter();
    const { store } = open(adapter);
    const events = await ping(store, 3);
    adapter.down = true;
    const handled: string[] = [];
    let failures = 0;
    const sub = store.subscribe({
      id: uniqueId(),
      onError: 'stop',
      pollIntervalMs: 5,
      retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 10 },
      handle: async (event) => {
        if (event.eventId === events[1]!.eventId) {
          // What a reaction that saves meets while the database is down.
          if (adapter.down) {
            failures++;
            if (failures === 4) adapter.down = false;
            throw new ConnectionError('the database went away');
          }
        }
        handled.push(event.eventId);
      },
    });
    const willRetry: boolean[] = [];
    sub.on('error', (_error, info) => willRetry.push(info.willRetry));
    await sub.start();
    await sub.waitUntilCaughtUp();
    expect(handled).toEqual(events.map((e) => e.eventId));
    expect(willRetry).toEqual([true, true, true, true]);
    expect(sub.state).toBe('live');
    expect(await sub.listDeadLetters()).toEqual([]);
    await sub.stop();
  });
});

describe('durable subscription: options', () => {
  it('refuses timers Node.js cannot keep, positions past 2^63-1 and a retry that is not an object', () => {
    const { store } = open();
    const handle = (): undefined => undefined;
    const refused = [
      { leaseTtlMs: 2 ** 31 },
      { pollIntervalMs: 2 ** 40 },
      { retry: { backoffMs: 2 ** 31 } },
      { retry: { maxBackoffMs: Number.MAX_SAFE_INTEGER } },
      { from: 2n ** 63n },
      { from: -1n },
      { retry: Number.NEGATIVE_INFINITY },
      { retry: null },
      { from: Object.create(null) as never },
    ];
    for (const options of refused) {
      expect(() => store.subscribe({ id: uniqueId(), handle, ...(options as object) }), JSON.stringify(options, (_k, v: unknown) => String(v))).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    expect(() => store.subscribe({ id: uniqueId(), handle, leaseTtlMs: 2 ** 31 - 1, from: 2n ** 63n - 1n })).not.toThrow();
  });

  it('refuses a waitUntilCaughtUp() timeout Node.js cannot keep', async () => {
    const { store } = open();
    const sub = store.subscribe({ id: uniqueId(), handle: () => undefined });
    await sub.start();
    await expect(sub.waitUntilCaughtUp({ timeoutMs: 2 ** 31 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(sub.waitUntilCaughtUp({ timeoutMs: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await sub.waitUntilCaughtUp();
    await sub.stop();
  });
});

describe('durable subscription: concurrency', () => {
  it('handles the events of a batch at once, each once, and checkpoints past all of them', async () => {
    const { store, adapter } = open();
    const events = await ping(store, 40);
    const id = uniqueId();
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const sub = store.subscribe({
      id,
      batchSize: 10,
      concurrency: 4,
      handle: async (event) => {
        most = Math.max(most, ++inFlight);
        // Later events of a batch finish first.
        await new Promise((resolve) => setTimeout(resolve, 40 - (seen.length % 10) * 4));
        seen.push(event.eventId);
        inFlight--;
      },
    });
    await sub.start();
    await sub.waitUntilCaughtUp();
    expect([...seen].sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(most).toBe(4);
    expect(await adapter.loadCheckpoint(id)).toBe(events.at(-1)!.globalPosition);
    await sub.stop();
  });

  it('never checkpoints past an event that was not handled: with onError stop, the next instance starts at it', async () => {
    const { store, adapter } = open();
    const events = await ping(store, 10);
    const id = uniqueId();
    const failing = events[3]!.eventId;
    const sub = store.subscribe({
      id,
      concurrency: 5,
      onError: 'stop',
      retry: { attempts: 1 },
      handle: (event) => {
        if (event.eventId === failing) throw new Error('cannot handle it');
      },
    });
    sub.on('error', () => undefined);
    const stopped = new Promise((resolve) => sub.once('stopped', resolve));
    await sub.start();
    await stopped;
    expect(sub.state).toBe('failed');
    expect(await adapter.loadCheckpoint(id)).toBe(events[2]!.globalPosition);

    const again = recorder();
    const next = open(adapter).store.subscribe({ id, handle: again.handle });
    await next.start();
    await next.waitUntilCaughtUp();
    // At least once: the failed event and those after it come again.
    expect(again.seen.map((e) => e.eventId)).toEqual(events.slice(3).map((e) => e.eventId));
    await next.stop();
  });

  it('refuses a concurrency that is not a whole number from 1 to 1000, and any on a projection', () => {
    const { store } = open();
    for (const concurrency of [0, -1, 1.5, 1001, Number.NaN, '4']) {
      expect(() => store.subscribe({ id: uniqueId(), concurrency: concurrency as number, handle: () => undefined })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
    const projection = defineProjection({ name: `p-${streamId()}`, events: [Pinged], handlers: { Pinged: () => undefined } });
    expect(() => store.projection(projection, { concurrency: 2 } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('concurrency') }),
    );
  });
});
