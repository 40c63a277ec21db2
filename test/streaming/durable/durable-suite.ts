import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../../src/index.js';
import { Pinged, Ponged, ping, recorder, streamId, until, type StoreTarget } from './fixtures.js';

/** The durable-subscription behaviour every adapter must show. */
export function describeDurableSubscriptions(makeTarget: () => StoreTarget): void {
  const target = makeTarget();
  describe(`durable subscriptions: ${target.name}`, () => {
    const stores: EventStore[] = [];
    const open = async () => {
      const store = await target.open();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });
    afterAll(() => target.cleanup());
    const uniqueId = () => `sub-${streamId()}`;

    it('catches up, then follows live, with no gap or duplicate at the seam', async () => {
      const store = await open();
      const stream = streamId();
      await ping(store, 250, stream);
      const { seen, handle } = recorder();
      const sub = store.subscribe({ id: uniqueId(), aggregateTypes: ['Pinger'], batchSize: 100, handle });
      await sub.start();
      const writer = (async () => {
        for (let i = 0; i < 10; i++) await ping(store, 5, stream);
      })();
      await writer;
      await sub.waitUntilCaughtUp();
      const ours = seen.filter((e) => e.aggregateId === stream);
      expect(ours.map((e) => e.aggregateVersion)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(sub.position).toBe(ours.at(-1)!.globalPosition);
    });

    it('delivers every event of many concurrent writers exactly once, skipping none that committed late', async () => {
      const reader = await open();
      const writers = await Promise.all([open(), open(), open(), open()]);
      const delivered = new Map<string, number>();
      const sub = reader.subscribe({
        id: uniqueId(),
        from: 'end',
        aggregateTypes: ['Pinger'],
        batchSize: 7,
        handle: (event) => void delivered.set(event.eventId, (delivered.get(event.eventId) ?? 0) + 1),
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      const written = (
        await Promise.all(
          writers.flatMap((writer) =>
            Array.from({ length: 4 }, async () => {
              const ids: string[] = [];
              for (let i = 0; i < 15; i++) ids.push(...(await ping(writer, 1 + (i % 3))).map((e) => e.eventId));
              return ids;
            }),
          ),
        )
      ).flat();
      await sub.waitUntilCaughtUp();
      expect(written.filter((id) => delivered.get(id) !== 1)).toEqual([]);
    });

    it('delivers every matching event of concurrent writers once when most events do not match its filters', async () => {
      const reader = await open();
      const writers = await Promise.all([open(), open(), open()]);
      const delivered = new Map<string, number>();
      const sub = reader.subscribe({
        id: uniqueId(),
        from: 'end',
        aggregateTypes: ['Wanted'],
        batchSize: 5,
        handle: (event) => void delivered.set(event.eventId, (delivered.get(event.eventId) ?? 0) + 1),
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      const wanted = (
        await Promise.all(
          writers.map(async (writer) => {
            const ids: string[] = [];
            for (let i = 0; i < 20; i++) {
              await ping(writer, 1 + (i % 4));
              // Let the subscriber go idle between matches, so that it skips ahead past the others' events.
              if (i % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 30));
              if (i % 3 === 0) ids.push(...(await writer.append('Wanted', streamId(), 'no-stream', [Pinged.create({ n: i })])).map((e) => e.eventId));
            }
            return ids;
          }),
        )
      ).flat();
      await sub.waitUntilCaughtUp();
      expect(wanted.filter((id) => delivered.get(id) !== 1)).toEqual([]);
      expect(delivered.size).toBe(wanted.length);
    });

    it('resumes from its checkpoint after a stop, in another store instance', async () => {
      const store = await open();
      const id = uniqueId();
      const stream = streamId();
      await ping(store, 10, stream);
      const first = recorder();
      const sub = store.subscribe({ id, aggregateTypes: ['Pinger'], handle: first.handle });
      await sub.start();
      await sub.waitUntilCaughtUp();
      await sub.stop();
      expect(sub.state).toBe('stopped');
      expect(await sub.lag()).toBe(0);
      await ping(store, 5, stream);
      expect(await sub.lag()).toBe(5);
      expect(await sub.lag(2)).toBe(2);
      const again = await open();
      const second = recorder();
      const resumed = again.subscribe({ id, aggregateTypes: ['Pinger'], handle: second.handle });
      await resumed.start();
      await resumed.waitUntilCaughtUp();
      expect(second.seen.filter((e) => e.aggregateId === stream).map((e) => e.aggregateVersion)).toEqual([11, 12, 13, 14, 15]);
    });

    it("starts at the end with from: 'end', and filters by event type", async () => {
      const store = await open();
      const stream = streamId();
      await ping(store, 3, stream);
      const { seen, handle } = recorder();
      const sub = store.subscribe({ id: uniqueId(), from: 'end', eventTypes: [Ponged], handle });
      await sub.start();
      await sub.waitUntilCaughtUp();
      await ping(store, 2, stream);
      await ping(store, 2, stream, Ponged);
      await sub.waitUntilCaughtUp();
      expect(seen.map((e) => [e.eventType, e.aggregateVersion])).toEqual([
        ['Ponged', 6],
        ['Ponged', 7],
      ]);
    });

    it('retries a failing handler, parks the event as a dead letter, goes on, and replays it', async () => {
      const store = await open();
      const stream = streamId();
      const [, poison] = await ping(store, 3, stream);
      let healed = false;
      const handled: number[] = [];
      const errors: { attempt?: number | undefined; willRetry: boolean }[] = [];
      const sub = store.subscribe({
        id: uniqueId(),
        aggregateTypes: ['Pinger'],
        retry: { attempts: 3, backoffMs: 1 },
        handle: (event) => {
          if (event.aggregateId !== stream) return;
          if (event.eventId === poison!.eventId && !healed) throw new Error('poison');
          handled.push(event.aggregateVersion);
        },
      });
      sub.on('error', (_error, info) => {
        if (info.event?.aggregateId === stream) errors.push({ attempt: info.attempt, willRetry: info.willRetry });
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      expect(handled).toEqual([1, 3]);
      expect(errors.map((e) => e.willRetry)).toEqual([true, true, false]);
      const letters = await sub.listDeadLetters();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ eventId: poison!.eventId, attempts: 3, error: 'Error: poison' });
      healed = true;
      expect(await sub.replayDeadLetters()).toEqual({ handled: 1, failed: 0 });
      expect(handled).toEqual([1, 3, 2]);
      expect(await sub.listDeadLetters()).toEqual([]);
    });

    it("reports a failing handler through the store's onWarning when no 'error' listener is attached", async () => {
      const warnings: { message: string; error: unknown }[] = [];
      const store = (await EventStore.create(target.url(), { onWarning: (message, error) => warnings.push({ message, error }) })).register(
        Pinged,
        Ponged,
      );
      stores.push(store);
      const stream = streamId();
      const [, poison] = await ping(store, 3, stream);
      const id = uniqueId();
      const thrown = new Error('poison');
      const sub = store.subscribe({
        id,
        aggregateTypes: ['Pinger'],
        retry: { attempts: 2, backoffMs: 1 },
        handle: (event) => {
          if (event.eventId === poison!.eventId) throw thrown;
        },
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      const ours = warnings.filter((w) => w.error === thrown);
      expect(ours).toHaveLength(2);
      expect(ours[0]!.message).toContain(id);
      expect(ours[0]!.message).toContain(poison!.eventId);
      expect(await sub.listDeadLetters()).toHaveLength(1);
    });

    it("stops on a failing handler with onError: 'stop', keeping the checkpoint before it", async () => {
      const store = await open();
      const stream = streamId();
      const [, bad] = await ping(store, 3, stream);
      const sub = store.subscribe({
        id: uniqueId(),
        aggregateTypes: ['Pinger'],
        onError: 'stop',
        retry: { attempts: 2, backoffMs: 1 },
        handle: (event) => {
          // A non-Error thrown value is wrapped, not lost.
          if (event.eventId === bad!.eventId) throw { reason: 'not an Error' };
        },
      });
      const stopped = new Promise<Error | undefined>((resolve) => sub.once('stopped', resolve));
      await sub.start();
      const reason = await stopped;
      expect(reason).toBeInstanceOf(Error);
      expect(reason!.message).toContain('not an Error');
      expect(sub.state).toBe('failed');
      const [first] = await store.loadEvents(stream);
      expect(sub.position).toBe(first!.globalPosition);
      expect(await sub.listDeadLetters()).toEqual([]);
    });

    it('keeps one active instance per id; another takes over after a stop', async () => {
      const a = await open();
      const b = await open();
      const id = uniqueId();
      const stream = streamId();
      const seenA = recorder();
      const seenB = recorder();
      const subA = a.subscribe({ id, aggregateTypes: ['Pinger'], leaseTtlMs: 300, handle: seenA.handle });
      const subB = b.subscribe({ id, aggregateTypes: ['Pinger'], leaseTtlMs: 300, handle: seenB.handle });
      await subA.start();
      await until(() => subA.isActive);
      await subB.start();
      await ping(a, 5, stream);
      await subA.waitUntilCaughtUp();
      expect(subB.isActive).toBe(false);
      expect(seenB.seen).toEqual([]);
      await subA.stop();
      await ping(a, 5, stream);
      await until(() => subB.isActive);
      await subB.waitUntilCaughtUp();
      const versions = [...seenA.seen, ...seenB.seen].filter((e) => e.aggregateId === stream).map((e) => e.aggregateVersion);
      expect(versions).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    });

    it('stamps correlation and causation ids on events saved through the handler context', async () => {
      const store = await open();
      const stream = streamId();
      const { Account } = await import('../../../src/testing/contract/fixtures.js');
      const { AccountOpened, Deposited } = await import('../../../src/testing/contract/fixtures.js');
      store.register(AccountOpened, Deposited);
      const accountId = `acc-${streamId()}`;
      const sub = store.subscribe({
        id: uniqueId(),
        from: 'end',
        aggregateTypes: ['Pinger'],
        handle: async (_event, ctx) => {
          const account = new Account(accountId);
          account.open('ann');
          await ctx.save(account);
        },
      });
      await sub.start();
      await sub.waitUntilCaughtUp();
      const [cause] = await store.append('Pinger', stream, 0, [Pinged.create({ n: 1 }, { metadata: { correlationId: 'req-1' } })]);
      await sub.waitUntilCaughtUp();
      const [effect] = await store.loadEvents(accountId);
      expect(effect!.metadata).toMatchObject({ correlationId: 'req-1', causationId: cause!.eventId });
    });

    it('rejects bad options, duplicate ids and unknown filter types with typed errors', async () => {
      const store = await open();
      const handle = () => undefined;
      const id = uniqueId();
      const sub = store.subscribe({ id, handle });
      expect(() => store.subscribe({ id, handle })).toThrow(expect.objectContaining({ code: 'SUBSCRIPTION' }));
      expect(() => store.subscribe({ id: '', handle })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => store.subscribe({ id: uniqueId(), from: -1n, handle })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => store.subscribe({ id: uniqueId(), from: 3 as never, handle })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
      expect(() => store.subscribe({ id: uniqueId(), batchSize: 0, handle })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => store.subscribe({ id: uniqueId(), eventTypes: ['NoSuchEvent'], handle })).toThrow(
        expect.objectContaining({ code: 'UNKNOWN_EVENT_TYPE' }),
      );
      expect(() => store.subscribe({ id: uniqueId(), handle: 'nope' as never })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
      await expect(sub.waitUntilCaughtUp()).rejects.toMatchObject({ code: 'SUBSCRIPTION' });
      await sub.start();
      await sub.start();
      await sub.waitUntilCaughtUp();
      await sub.stop();
      await sub.stop();
      await sub.start();
      await sub.waitUntilCaughtUp();
    });
  });
}
