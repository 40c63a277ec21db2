import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineEvent, type Event } from '../../core/event.js';
import { EventStore } from '../../event-store/event-store.js';
import type { ConsumerGroup } from '../../streaming/durable/consumer-group.js';
import { partitionOf } from '../../streaming/durable/partition-hash.js';
import type { StorageAdapter } from '../../store/adapter.js';
import { cartId, cartModel, CartOpened, ItemAdded } from './read-model-fixtures.js';
import { thrown } from './fixtures.js';
import type { OpenStore } from './open-store.js';
import type { ContractTestApi } from './test-api.js';

export const GroupNoted = defineEvent('ContractGroupNoted', z.object({ n: z.number().int() }));

/** Short leases, so that rebalancing in these tests takes about a second (not the default 5 s). */
const LEASE_TTL_MS = 1000;
/** A bound for what rebalancing waits for here (not a timing assertion): generous for a loaded machine. */
const BOUND_MS = 20_000;

async function until(what: string, predicate: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + BOUND_MS;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Appends `perAggregate` events to each of `aggregates` aggregates of a type unique to the test. */
async function appendSpread(store: EventStore, type: string, aggregates: number, perAggregate: number, from = 0): Promise<Event[]> {
  const written: Event[] = [];
  for (let round = 0; round < perAggregate; round++) {
    for (let a = 0; a < aggregates; a++) {
      written.push(...(await store.append(type, `${type}-${a}`, 'any', [GroupNoted.create({ n: from + round })])));
    }
  }
  return written;
}

/** A second store on the same database: another process, as far as leases and checkpoints go. */
function sameDatabase(adapter: StorageAdapter): EventStore {
  return new EventStore(adapter).register(GroupNoted);
}

/** Consumer groups (`partitions`) on every adapter: partitioning, sharing, fencing, bad input. */
export function consumerGroupCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('handles every event once, each aggregate in order in its partition, all partitions in one instance', async () => {
    const { store } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    const before = await appendSpread(store, type, 12, 3);
    const seen: { event: Event; partition: string }[] = [];
    const group = store.subscribe({
      id,
      partitions: 4,
      aggregateTypes: [type],
      handle: (event, ctx) => {
        seen.push({ event, partition: ctx.subscriptionId });
      },
    });
    const reported: (readonly number[])[] = [];
    group.on('partitions', (owned) => reported.push(owned));
    await group.start();
    await group.waitUntilCaughtUp();
    await until('every partition owned', () => group.partitions.length === 4);
    expect(group.partitions).toEqual([0, 1, 2, 3]);
    const after = await appendSpread(store, type, 12, 2, 3);
    await group.waitUntilCaughtUp();
    const written = [...before, ...after];
    expect(seen.map((s) => s.event.eventId).sort()).toEqual(written.map((e) => e.eventId).sort());
    for (const { event, partition } of seen) expect(partition).toBe(`${id}#p${partitionOf(event.aggregateId, 4)}`);
    for (let a = 0; a < 12; a++) {
      const versions = seen.filter((s) => s.event.aggregateId === `${type}-${a}`).map((s) => s.event.aggregateVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5]);
    }
    await group.stop();
    expect(group.partitions).toEqual([]);
    expect(group.state).toBe('stopped');
    expect(reported.at(-1)).toEqual([]);
  });

  it('refuses partitions that are not an integer from 1 to 256, and concurrency with them, writing nothing', async () => {
    const { store, adapter } = await open();
    const id = `group-${randomUUID()}`;
    const handle = () => undefined;
    for (const partitions of [0, -1, 1.5, '4', 257, Number.NaN, null]) {
      expect(thrown(() => store.subscribe({ id, partitions: partitions as number, handle }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'partitions' });
    }
    expect(thrown(() => store.subscribe({ id, partitions: 4, concurrency: 4, handle }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'concurrency' });
    for (const partitionConcurrency of [0, 1.5, 257, '2']) {
      expect(thrown(() => store.subscribe({ id, partitions: 4, partitionConcurrency: partitionConcurrency as number, handle }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'partitionConcurrency',
      });
    }
    expect(thrown(() => store.subscribe({ id, partitionConcurrency: 2, handle }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'partitionConcurrency' });
    expect(thrown(() => store.projection(cartModel(), { partitions: 0 }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'partitions' });
    expect(await adapter.loadCheckpoint(`${id}#partitions`)).toBeNull();
    expect(await adapter.loadCheckpoint(`${id}#p0`)).toBeNull();
  });

  it('handles at most partitionConcurrency of its partitions at once, and every event all the same', async () => {
    const { store } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const written = await appendSpread(store, type, 24, 3);
    const run = async (partitionConcurrency?: number) => {
      let running = 0;
      let most = 0;
      const handled = new Set<string>();
      const group = store.subscribe({
        id: `group-${randomUUID()}`,
        partitions: 4,
        aggregateTypes: [type],
        ...(partitionConcurrency !== undefined && { partitionConcurrency }),
        handle: async (event) => {
          most = Math.max(most, ++running);
          await sleep(2);
          running--;
          handled.add(event.eventId);
        },
      });
      await group.start();
      await group.waitUntilCaughtUp();
      await group.stop();
      return { most, handled: handled.size };
    };
    expect(await run(1)).toEqual({ most: 1, handled: written.length });
    const two = await run(2);
    expect(two.most).toBeLessThanOrEqual(2);
    expect(two.handled).toBe(written.length);
    const all = await run();
    expect(all.most > 1).toBe(true);
    expect(all.handled).toBe(written.length);
  });

  it('stops while partitions wait for their turn; the next start handles what they did not, once', async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const written = await appendSpread(store, type, 16, 2);
    const counts = new Map<string, number>();
    const options = {
      id: `group-${randomUUID()}`,
      partitions: 4,
      partitionConcurrency: 1,
      aggregateTypes: [type],
      handle: async (event: Event) => {
        await sleep(10);
        counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
      },
    };
    const group = store.subscribe(options);
    await group.start();
    await until('a first event handled', () => counts.size > 0);
    await group.stop();
    expect(counts.size < written.length).toBe(true);
    const again = sameDatabase(adapter).subscribe(options);
    await again.start();
    await again.waitUntilCaughtUp();
    await again.stop();
    expect([...counts.keys()].sort()).toEqual(written.map((e) => e.eventId).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('hands a partition waiting for its turn over at once when a rebalance takes it, not after the pages ahead of it', async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    await appendSpread(store, type, 24, 1);
    // The first instance handles one partition at a time, and its handler hangs until released.
    let release: () => void = () => undefined;
    const latch = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const first = store.subscribe({
      id,
      partitions: 4,
      partitionConcurrency: 1,
      aggregateTypes: [type],
      leaseTtlMs: LEASE_TTL_MS,
      handle: async () => {
        started++;
        await latch;
      },
    });
    await first.start();
    await until('the first instance owns every partition, one of them in a handler', () => first.partitions.length === 4 && started === 1);
    // A second instance joins: the partitions the first gives up and that were only waiting for
    // the slot go over now, while the first instance's handler still hangs.
    const handledBySecond: Event[] = [];
    const second = sameDatabase(adapter).subscribe({
      id,
      partitions: 4,
      aggregateTypes: [type],
      leaseTtlMs: LEASE_TTL_MS,
      handle: (event) => void handledBySecond.push(event),
    });
    await second.start();
    await until('the second instance handles events while the first one is still held up', () => handledBySecond.length > 0);
    expect(started).toBe(1);
    release();
    await second.stop();
    await first.stop();
  });

  it('refuses to start a group with another partition count, with GroupPartitionsChangedError, writing nothing', async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    await appendSpread(store, type, 5, 2);
    const first = store.subscribe({ id, partitions: 4, aggregateTypes: [type], leaseTtlMs: LEASE_TTL_MS, handle: () => undefined });
    await first.start();
    await first.waitUntilCaughtUp();
    await first.stop();
    const stored = await Promise.all([0, 1, 2, 3].map((k) => adapter.loadCheckpoint(`${id}#p${k}`)));
    const other = sameDatabase(adapter);
    const handled: Event[] = [];
    const second = other.subscribe({ id, partitions: 8, aggregateTypes: [type], leaseTtlMs: LEASE_TTL_MS, handle: (e) => void handled.push(e) });
    await expect(second.start()).rejects.toMatchObject({ code: 'GROUP_PARTITIONS_CHANGED', groupId: id, storedPartitions: 4, requestedPartitions: 8 });
    expect(second.state).toBe('idle');
    expect(await Promise.all([0, 1, 2, 3].map((k) => adapter.loadCheckpoint(`${id}#p${k}`)))).toEqual(stored);
    expect(await adapter.loadCheckpoint(`${id}#p4`)).toBeNull();
    expect(await adapter.loadCheckpoint(`${id}#partitions`)).toBe(4n);
    expect(handled).toEqual([]);
  });

  it('shares the partitions between instances, never one partition in two, and rebalances when one joins and leaves', async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const other = sameDatabase(adapter);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    const handled = new Map<string, number>();
    const options = {
      id,
      partitions: 6,
      aggregateTypes: [type],
      leaseTtlMs: LEASE_TTL_MS,
      pollIntervalMs: 10,
      handle: (event: Event) => void handled.set(event.eventId, (handled.get(event.eventId) ?? 0) + 1),
    };
    const a = store.subscribe(options);
    const b = other.subscribe(options);
    const overlaps: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const k of a.partitions) if (b.partitions.includes(k)) overlaps.push(k);
        await sleep(2);
      }
    })();
    try {
      await a.start();
      await until('the first instance owning every partition', () => a.partitions.length === 6);
      const written = await appendSpread(store, type, 20, 2);
      await b.start();
      await until('a fair share each', () => a.partitions.length === 3 && b.partitions.length === 3);
      written.push(...(await appendSpread(other, type, 20, 2, 2)));
      await until('every event handled', () => written.every((e) => handled.has(e.eventId)));
      await b.stop();
      await until('the first instance owning every partition again', () => a.partitions.length === 6);
      written.push(...(await appendSpread(store, type, 20, 1, 4)));
      await a.waitUntilCaughtUp();
      expect(written.filter((e) => !handled.has(e.eventId))).toEqual([]);
    } finally {
      sampling = false;
      await sampler;
      await a.stop();
      await b.stop();
    }
    expect(overlaps).toEqual([]);
  });

  it('leaves a partition whose lease another instance holds: its events wait, its checkpoint is not written', async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    const written = await appendSpread(store, type, 16, 1);
    const intruder = `intruder-${randomUUID()}`;
    expect(await adapter.acquireLease(`subscription:${id}#p0`, intruder, 60_000)).toBe(true);
    const handled = new Set<string>();
    const group = store.subscribe({ id, partitions: 2, aggregateTypes: [type], leaseTtlMs: LEASE_TTL_MS, pollIntervalMs: 10, handle: (e) => void handled.add(e.eventId) });
    await group.start();
    const mine = (k: number) => written.filter((e) => partitionOf(e.aggregateId, 2) === k).map((e) => e.eventId);
    await until('partition 1 handled', () => mine(1).every((e) => handled.has(e)));
    await until('partition 1 owned', () => group.partitions.includes(1));
    expect(group.partitions).toEqual([1]);
    expect(mine(0).filter((e) => handled.has(e))).toEqual([]);
    const checkpoint = await adapter.loadCheckpoint(`${id}#p0`);
    await adapter.releaseLease(`subscription:${id}#p0`, intruder);
    await until('partition 0 taken and handled', () => mine(0).every((e) => handled.has(e)));
    await until('both partitions owned', () => group.partitions.length === 2);
    expect(checkpoint).toBe(0n);
    await group.stop();
  });

  it("parks a failing event in its partition's dead letters, lists them for the group and replays them", async () => {
    const { store, adapter } = await open();
    store.register(GroupNoted);
    const type = `Group${randomUUID().slice(0, 8)}`;
    const id = `group-${randomUUID()}`;
    const written = await appendSpread(store, type, 6, 2);
    const poison = `${type}-3`;
    let healed = false;
    const handled: string[] = [];
    const parked: string[] = [];
    const group = store.subscribe({
      id,
      partitions: 3,
      aggregateTypes: [type],
      leaseTtlMs: LEASE_TTL_MS,
      retry: { attempts: 2, backoffMs: 1 },
      handle: (event) => {
        if (event.aggregateId === poison && !healed) throw new Error('poison');
        handled.push(event.eventId);
      },
    });
    group.on('dead-letter', (record) => void parked.push(record.eventId));
    group.on('error', () => undefined);
    await group.start();
    await group.waitUntilCaughtUp();
    const poisoned = written.filter((e) => e.aggregateId === poison).map((e) => e.eventId);
    expect(parked.sort()).toEqual([...poisoned].sort());
    expect(handled.length).toBe(written.length - poisoned.length);
    const letters = await group.listDeadLetters();
    expect(letters.map((l) => l.eventId).sort()).toEqual([...poisoned].sort());
    const partition = partitionOf(poison, 3);
    expect(letters.every((l) => l.subscriptionId === `${id}#p${partition}`)).toBe(true);
    expect(await adapter.listDeadLetters(`${id}#p${partition}`)).toHaveLength(poisoned.length);
    healed = true;
    expect(await group.replayDeadLetters()).toEqual({ handled: poisoned.length, failed: 0 });
    expect(await group.listDeadLetters()).toEqual([]);
    await group.stop();
    await expect(group.waitUntilCaughtUp()).rejects.toMatchObject({ code: 'SUBSCRIPTION' });
  });

  for (const bound of [undefined, 1]) {
    const named = bound === undefined ? '' : ` (partitionConcurrency: ${bound})`;
    it(`keeps a read model with a consumer group${named}: the same documents, and waitFor reads its own writes`, async () => {
      const { store } = await open();
      const model = cartModel();
      const ids = Array.from({ length: 8 }, () => cartId());
      for (const id of ids) await store.append('ContractCart', id, 'any', [CartOpened.create({ owner: 'o', openedAt: new Date(0), vip: false })]);
      const limit = bound === undefined ? {} : { partitionConcurrency: bound };
      const group: ConsumerGroup = store.projection(model, { partitions: 3, leaseTtlMs: LEASE_TTL_MS, pollIntervalMs: 10, ...limit });
      await group.start();
      const carts = store.documents(model);
      let last = 0n;
      for (const [i, id] of ids.entries()) {
        const [event] = await store.append('ContractCart', id, 'any', [ItemAdded.create({ sku: `s${i}`, price: i })]);
        last = event!.globalPosition;
      }
      expect(await carts.get(ids[7]!, { waitFor: last, timeoutMs: BOUND_MS })).toMatchObject({ items: 1, total: 7, lastSku: 's7' });
      for (const [i, id] of ids.entries()) expect(await carts.get(id)).toMatchObject({ items: 1, total: i });
      await group.stop();
    });
  }
}
