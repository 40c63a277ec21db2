import { randomUUID } from 'node:crypto';
import type { ContractTestApi } from './test-api.js';
import type { InspectionStorage } from '../../store/inspection.js';
import type { StorageAdapter } from '../../store/adapter.js';
import { Deposited, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

/** The adapter's operator queries: every built-in adapter has them. */
function inspectionOf(adapter: StorageAdapter): InspectionStorage {
  if (!adapter.inspection) throw new Error('the adapter has no inspection queries (StorageAdapter.inspection)');
  return adapter.inspection;
}

/** A stream type no other test uses: the suite may share one database between tests. */
const streamType = (): string => `Insp${randomUUID().replaceAll('-', '')}`;

export function inspectionCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('counts events and streams, and lists streams of a type by id prefix, page by page, with versions and times', async () => {
    const { store, adapter } = await open();
    const inspection = inspectionOf(adapter);
    const type = streamType();
    const eventsBefore = await inspection.countEvents();
    const streamsBefore = await inspection.countStreams();
    const started = Date.now();
    for (const [id, events] of [['b-2', 2], ['a-1', 1], ['b-1', 3], ['c-1', 1]] as const) {
      await store.append(type, `${type}-${id}`, 'no-stream', Array.from({ length: events }, () => Deposited.create({ amount: 1 })));
    }
    expect(await inspection.countEvents()).toBe(eventsBefore + 7);
    expect(await inspection.countStreams()).toBe(streamsBefore + 4);
    expect(await inspection.countStreams({ aggregateType: type })).toBe(4);
    expect(await inspection.countStreams({ aggregateType: type, idPrefix: `${type}-b` })).toBe(2);
    expect(await inspection.countStreams({ idPrefix: `${type}-b-` })).toBe(2);

    const all = await inspection.listStreams({ aggregateType: type, limit: 10 });
    expect(all.map((s) => [s.aggregateId, s.version])).toEqual([
      [`${type}-a-1`, 1],
      [`${type}-b-1`, 3],
      [`${type}-b-2`, 2],
      [`${type}-c-1`, 1],
    ]);
    const [first] = all;
    expect(first?.aggregateType).toBe(type);
    expect(first?.marker).toBeNull();
    expect(started - 5_000).toBeLessThanOrEqual(first?.createdAt.getTime() ?? 0);
    expect(first?.createdAt.getTime() ?? 0).toBeLessThanOrEqual(first?.updatedAt.getTime() ?? 0);

    const page1 = await inspection.listStreams({ aggregateType: type, idPrefix: `${type}-b`, limit: 1 });
    expect(page1.map((s) => s.aggregateId)).toEqual([`${type}-b-1`]);
    const page2 = await inspection.listStreams({ aggregateType: type, idPrefix: `${type}-b`, after: `${type}-b-1`, limit: 1 });
    expect(page2.map((s) => s.aggregateId)).toEqual([`${type}-b-2`]);
    const page3 = await inspection.listStreams({ aggregateType: type, idPrefix: `${type}-b`, after: `${type}-b-2`, limit: 1 });
    expect(page3).toEqual([]);
    // A prefix is text, not a pattern: LIKE and GLOB wildcards match themselves only.
    expect(await inspection.countStreams({ aggregateType: type, idPrefix: `${type}-%` })).toBe(0);
    expect(await inspection.countStreams({ aggregateType: type, idPrefix: `${type}-_` })).toBe(0);
  });

  it("gives each stream's newest marker event, filters by marker and counts streams by marker (sagas by status)", async () => {
    const { adapter } = await open();
    const inspection = inspectionOf(adapter);
    const type = streamType();
    const started = `${type}.Started`;
    const done = `${type}.Done`;
    const failed = `${type}.Failed`;
    const note = `${type}.Note`;
    const raw = (eventType: string) => ({ eventId: randomUUID(), eventType, schemaVersion: 1, timestamp: new Date(), metadata: '{}', data: '{}' });
    const append = (id: string, types: string[]) =>
      adapter.append({ aggregateId: `${type}-${id}`, aggregateType: type, expectedVersion: 0, events: types.map(raw) });
    await append('1', [started, done, note]);
    await append('2', [started, failed]);
    await append('3', [started]);
    await append('4', [started, done]);
    const markerTypes = [done, failed];

    const streams = await inspection.listStreams({ aggregateType: type, markerTypes, limit: 10 });
    expect(streams.map((s) => [s.aggregateId.slice(type.length + 1), s.marker, s.version])).toEqual([
      ['1', done, 3],
      ['2', failed, 2],
      ['3', null, 1],
      ['4', done, 2],
    ]);
    const finished = await inspection.listStreams({ aggregateType: type, markerTypes, markers: [done], limit: 10 });
    expect(finished.map((s) => s.aggregateId)).toEqual([`${type}-1`, `${type}-4`]);
    const open_ = await inspection.listStreams({ aggregateType: type, markerTypes, markers: [null, failed], limit: 10 });
    expect(open_.map((s) => s.aggregateId)).toEqual([`${type}-2`, `${type}-3`]);
    expect(await inspection.countStreams({ aggregateType: type, markerTypes, markers: [done] })).toBe(2);

    const counts = await inspection.countStreamsByMarker(type, markerTypes);
    const byMarker = Object.fromEntries(counts.map((c) => [c.marker ?? 'none', c.streams]));
    expect(byMarker).toEqual({ [done]: 2, [failed]: 1, none: 1 });
  });

  it('counts the events after a position, up to a bound (a lag)', async () => {
    const { store, adapter } = await open();
    const inspection = inspectionOf(adapter);
    const [firstEvent] = await store.append(streamType(), uid(), 'no-stream', [Deposited.create({ amount: 1 })]);
    await store.append(streamType(), uid(), 'no-stream', [Deposited.create({ amount: 1 }), Deposited.create({ amount: 2 })]);
    const after = firstEvent?.globalPosition ?? 0n;
    expect(await inspection.countEventsAfter(after, 1000)).toBe(2);
    expect(await inspection.countEventsAfter(after, 1)).toBe(1);
    expect(await inspection.countEventsAfter(await store.getGlobalPosition(), 1000)).toBe(0);
  });

  it("lists subscriptions with their checkpoint, the lease holder while one runs, and their dead letters", async () => {
    const { store, adapter } = await open();
    const inspection = inspectionOf(adapter);
    const id = uid('insp-sub');
    const type = streamType();
    await store.append(type, uid(), 'no-stream', [Deposited.create({ amount: 1 }), Deposited.create({ amount: 13 })]);
    const subscription = store.subscribe({
      id,
      aggregateTypes: [type],
      retry: { attempts: 1, backoffMs: 1 },
      handle: (event) => {
        if ((event.data as { amount: number }).amount === 13) throw new Error('unlucky');
      },
    });
    await subscription.start();
    await subscription.waitUntilCaughtUp();
    const running = (await inspection.listSubscriptions()).find((s) => s.subscriptionId === id);
    expect(running?.owner).toBe(subscription.owner);
    expect(running?.deadLetters).toBe(1);
    expect(running?.position).toBe(subscription.position);
    expect(Date.now() - 60_000).toBeLessThanOrEqual(running?.leaseExpiresAt?.getTime() ?? 0);
    await subscription.stop();
    const stopped = (await inspection.listSubscriptions()).find((s) => s.subscriptionId === id);
    expect(stopped?.owner).toBeNull();
    expect(stopped?.leaseExpiresAt).toBeNull();
    expect(stopped?.position).toBe(subscription.position);
    expect(stopped?.deadLetters).toBe(1);
  });

  it('a running subscription replays the dead letters another process marked; a failing one stays parked, unmarked', async () => {
    const { store, adapter } = await open();
    const requests = adapter.replayRequests;
    if (!requests) throw new Error('the adapter has no replay requests (StorageAdapter.replayRequests)');
    const id = uid('insp-replay');
    const type = streamType();
    let healthy = false;
    const handled: number[] = [];
    await store.append(type, uid(), 'no-stream', [Deposited.create({ amount: 13 }), Deposited.create({ amount: 7 })]);
    const subscription = store.subscribe({
      id,
      aggregateTypes: [type],
      retry: { attempts: 1, backoffMs: 1 },
      handle: (event) => {
        const { amount } = event.data as { amount: number };
        if (amount === 7 || (amount === 13 && !healthy)) throw new Error(`cannot handle ${amount}`);
        handled.push(amount);
      },
    });
    await subscription.start();
    await subscription.waitUntilCaughtUp();
    const letters = await subscription.listDeadLetters();
    expect(letters).toHaveLength(2);
    const ids = letters.map((l) => l.id);
    expect(await requests.requestReplay(uid('another-subscription'), ids)).toEqual([]);
    healthy = true;
    const marked = await requests.requestReplay(id, [...ids, 'no-such-letter']);
    expect([...marked].sort()).toEqual([...ids].sort());
    const deadline = Date.now() + 20_000;
    while ((await subscription.listDeadLetters()).length > 1 || (await requests.replayRequests(id)).length > 0) {
      if (Date.now() > deadline) throw new Error('the requested replay did not happen within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(handled).toEqual([13]);
    expect((await subscription.listDeadLetters()).map((l) => l.eventType)).toEqual(['ContractDeposited']);
    expect(((await subscription.listDeadLetters())[0]?.globalPosition ?? 0n) > 0n).toBe(true);
    await subscription.stop();
  });
}
