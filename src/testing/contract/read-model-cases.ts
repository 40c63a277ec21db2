import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../event-store/event-store.js';
import type { NewEvent } from '../../core/event.js';
import { CartDiscarded, CartOpened, CartViewed, cartId, cartModel, ItemAdded, ownerTotals } from './read-model-fixtures.js';
import { gate } from './fixtures.js';
import type { OpenStore } from './open-store.js';
import type { ContractTestApi } from './test-api.js';

const OPENED_AT = new Date('2025-03-04T05:06:07.089Z');
const HOSTILE = `'; DROP TABLE carts; --`;
const FAST_RETRY = { attempts: 2, backoffMs: 1 } as const;

function opened(owner: string, vip = false): NewEvent {
  return CartOpened.create({ owner, openedAt: OPENED_AT, vip });
}

/** Owners unique to one test: stores of one file share their log, and async models read all of it. */
const owner = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

const item = (sku: string, price: number): NewEvent => ItemAdded.create({ sku, price });

async function cart(store: EventStore, id: string, ...events: NewEvent[]) {
  return store.append('ContractCart', id, 'any', events);
}

/** Read models on every adapter: kept async or inline, rebuilt, read with filters and waitFor. */
export function readModelCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('keeps documents on a projection, committed with its checkpoint, Dates revived', async () => {
    const { store } = await open();
    const model = cartModel();
    const a = cartId();
    const b = cartId();
    const [ann, bob] = [owner('ann'), owner('bob')];
    await cart(store, a, opened(ann, true), item('x', 2), item('y', 3));
    await cart(store, b, opened(bob));
    const runner = store.projection(model, { retry: FAST_RETRY });
    await runner.start();
    await runner.waitUntilCaughtUp();
    const carts = store.documents(model);
    expect(await carts.get(a)).toEqual({ owner: ann, status: 'open', items: 2, total: 5, vip: true, openedAt: OPENED_AT, lastSku: 'y' });
    expect(await carts.get(b)).toMatchObject({ owner: bob, items: 0, total: 0, lastSku: null });
    expect(await carts.get(cartId())).toBeNull();
    expect(await carts.count({ where: { owner: { in: [ann, bob] } } })).toBe(2);
    await runner.stop();
  });

  it('reads its own writes with waitFor, also past events the model does not read', async () => {
    const { store } = await open();
    const model = cartModel();
    const runner = store.projection(model, { retry: FAST_RETRY });
    await runner.start();
    const carts = store.documents(model);
    const id = cartId();
    const ann = owner('ann');
    for (let n = 1; n <= 5; n++) {
      const events = await cart(store, id, ...(n === 1 ? [opened(ann)] : []), item(`sku-${n}`, n), CartViewed.create({}));
      // The last event is one the model ignores: waiting for it still waits for the item before it.
      const doc = await carts.get(id, { waitFor: events.at(-1)!.globalPosition });
      expect(doc).toMatchObject({ items: n, lastSku: `sku-${n}` });
    }
    const [last] = await cart(store, id, item('z', 1));
    expect(await carts.find({ where: { owner: ann }, waitFor: last!.globalPosition })).toHaveLength(1);
    expect(await carts.count({ where: { owner: ann, total: { gte: 16 } }, waitFor: last!.globalPosition })).toBe(1);
    await runner.stop();
  });

  it('times out a waitFor no projection answers with ReadModelTimeoutError', async () => {
    const { store } = await open();
    const model = cartModel();
    // Nothing projected yet, not even the table: reads find nothing.
    expect(await store.documents(model).get('x')).toBeNull();
    expect(await store.documents(model).find({ where: { owner: 'ann' } })).toEqual([]);
    expect(await store.documents(model).count()).toBe(0);
    const [event] = await cart(store, cartId(), opened('ann'));
    await expect(store.documents(model).get('x', { waitFor: event!.globalPosition, timeoutMs: 30 })).rejects.toMatchObject({
      code: 'READ_MODEL_TIMEOUT',
      readModel: model.name,
      position: event!.globalPosition,
    });
    await expect(store.documents(model).get('x', { waitFor: 5 as unknown as bigint })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps documents inline: committed with the events, or not at all', async () => {
    const { store } = await open();
    const model = cartModel();
    const handle = store.projection(model, { inline: true });
    expect(handle.inline).toBe(true);
    const carts = store.documents(model);
    const id = cartId();
    const [event] = await cart(store, id, opened('ann'), item('x', 4));
    expect(await carts.get(id)).toMatchObject({ items: 1, total: 4 });
    expect(await carts.get(id, { waitFor: event!.globalPosition })).toMatchObject({ items: 1 });
    const failed = store.transaction(async (tx) => {
      await tx.append('ContractCart', id, 2, [item('y', 1)]);
      throw new Error('rolled back');
    });
    await expect(failed).rejects.toMatchObject({ message: 'rolled back' });
    expect(await cart(store, cartId(), opened('bob'))).toHaveLength(1);
    await expect(store.append('ContractCart', id, 0, [item('z', 1)])).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(await carts.get(id)).toMatchObject({ items: 1, total: 4 });
    expect(await carts.count()).toBe(2);
  });

  it('deletes a document when evolve returns null; reads after close are refused', async () => {
    const { store } = await open();
    const model = cartModel();
    store.projection(model, { inline: true });
    const id = cartId();
    await cart(store, id, opened('ann'));
    await cart(store, id, CartDiscarded.create({}));
    const carts = store.documents(model);
    expect(await carts.get(id)).toBeNull();
    expect(await carts.count()).toBe(0);
    await store.close();
    await expect(carts.get(id)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(carts.find()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });

  it('rebuild() empties the documents and replays the log, async and inline', async () => {
    const { store } = await open();
    const model = cartModel();
    const ids = [cartId(), cartId(), cartId()];
    const ann = owner('ann');
    for (const id of ids) await cart(store, id, opened(ann), item('a', 1), item('b', 2));
    const runner = store.projection(model, { retry: FAST_RETRY });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await runner.rebuild();
    await runner.waitUntilCaughtUp();
    // Replayed onto documents not emptied first, each cart would count 4 items.
    for (const id of ids) expect(await store.documents(model).get(id)).toMatchObject({ items: 2, total: 3 });
    await runner.stop();

    const inline = cartModel();
    const handle = store.projection(inline, { inline: true });
    await handle.rebuild();
    await handle.rebuild();
    for (const id of ids) expect(await store.documents(inline).get(id)).toMatchObject({ items: 2, total: 3 });
    expect(await store.documents(inline).count({ where: { owner: ann } })).toBe(3);
  });

  it('finds by equality, in and ranges, ordered and paged; counts', async () => {
    const { store } = await open();
    const model = cartModel();
    store.projection(model, { inline: true });
    const carts = store.documents(model);
    const rows: [string, boolean, number][] = [['ann', true, 10], ['bob', false, 20], ['cid', false, 30], ['dee', true, 40], ['eve', false, 0]];
    for (const [owner, vip, total] of rows) await cart(store, cartId(), opened(owner, vip), ...(total > 0 ? [item('s', total)] : []));
    const owners = (docs: { owner: string }[]) => docs.map((d) => d.owner);
    expect(owners(await carts.find({ where: { owner: 'bob' } }))).toEqual(['bob']);
    expect(owners(await carts.find({ where: { owner: { in: ['ann', 'eve', 'nobody'] } }, orderBy: { owner: 'asc' } }))).toEqual(['ann', 'eve']);
    expect(owners(await carts.find({ where: { total: { gt: 10, lte: 30 } }, orderBy: { total: 'desc' } }))).toEqual(['cid', 'bob']);
    expect(owners(await carts.find({ where: { total: { gte: 10 }, vip: false }, orderBy: { owner: 'asc' } }))).toEqual(['bob', 'cid']);
    expect(owners(await carts.find({ where: { vip: true }, orderBy: { total: 'asc' } }))).toEqual(['ann', 'dee']);
    expect(owners(await carts.find({ where: { owner: { lt: 'c' } }, orderBy: { owner: 'desc' } }))).toEqual(['bob', 'ann']);
    expect(owners(await carts.find({ orderBy: { total: 'desc' }, limit: 2 }))).toEqual(['dee', 'cid']);
    expect(owners(await carts.find({ orderBy: { total: 'desc' }, limit: 2, offset: 2 }))).toEqual(['bob', 'ann']);
    expect(owners(await carts.find({ orderBy: { total: 'asc' }, offset: 4 }))).toEqual(['dee']);
    expect(await carts.find({ where: { owner: { in: [] } } })).toEqual([]);
    // Types never compare equal across: the number 1 is not true, the string '10' not 10.
    expect(await carts.count({ where: { total: { in: ['10', true] as unknown as number[] } } })).toBe(0);
    expect(await carts.count({ where: { lastSku: null } })).toBe(1);
    expect(await carts.count({ where: { lastSku: { in: [null, 's'] } } })).toBe(5);
    expect(await carts.count({ where: { openedAt: OPENED_AT } })).toBe(5);
    expect(await carts.count({ where: { openedAt: { gt: new Date(OPENED_AT.getTime() + 1) } } })).toBe(0);
    expect(await carts.count()).toBe(5);
    expect(await carts.count({ where: { owner: undefined } })).toBe(5);
  });

  it('parks a document its schema refuses as a dead letter, and goes on', async () => {
    const { store } = await open();
    const model = cartModel();
    const id = cartId();
    await cart(store, id, opened('ann'), item('bad', -5), item('good', 3));
    const runner = store.projection(model, { retry: FAST_RETRY });
    await runner.start();
    await runner.waitUntilCaughtUp();
    const parked = await runner.listDeadLetters();
    expect(parked).toHaveLength(1);
    expect(parked[0]!.error.includes('fails its schema')).toBe(true);
    expect(await store.documents(model).get(id)).toMatchObject({ items: 1, total: 3, lastSku: 'good' });
    await runner.stop();

    const inline = cartModel();
    store.projection(inline, { inline: true });
    const other = cartId();
    await expect(cart(store, other, opened('bob'), item('bad', -1))).rejects.toMatchObject({
      code: 'DOCUMENT_VALIDATION',
      readModel: inline.name,
      documentId: other,
    });
    expect(await store.loadEvents(other)).toEqual([]);
    expect(await store.documents(inline).get(other)).toBeNull();
  });

  it('stores and queries hostile strings as data, and refuses hostile field names', async () => {
    const { store } = await open();
    const model = cartModel();
    store.projection(model, { inline: true });
    const carts = store.documents(model);
    const id = `${HOSTILE} "quoted" \\ $1 ?`;
    await cart(store, id, opened(HOSTILE), item(`'); DELETE FROM x; --`, 1));
    await cart(store, cartId(), opened('plain'));
    expect(await carts.get(id)).toMatchObject({ owner: HOSTILE, lastSku: `'); DELETE FROM x; --` });
    expect(await carts.find({ where: { owner: HOSTILE } })).toHaveLength(1);
    expect(await carts.count({ where: { owner: { in: [HOSTILE, `" OR 1=1 --`] } } })).toBe(1);
    expect(await carts.count({ where: { owner: { gte: HOSTILE, lte: HOSTILE } } })).toBe(1);
    const refused: (() => Promise<unknown>)[] = [
      () => carts.find({ where: { [`owner' OR 1=1 --`]: 'x' } as never }),
      () => carts.find({ where: { [`owner") --`]: 'x' } as never }),
      () => carts.find({ where: { nothere: 'x' } as never }),
      () => carts.find({ orderBy: { [`total; DROP TABLE x`]: 'asc' } as never }),
      () => carts.find({ orderBy: { total: 'sideways' as 'asc' } }),
      () => carts.find({ where: { owner: { like: '%' } as never } }),
      () => carts.find({ where: { owner: { gt: true } as never } }),
      () => carts.find({ where: { owner: { a: 1 } as never } }),
      () => carts.find({ where: { total: Number.NaN } }),
      () => carts.find({ limit: -1 }),
      // No store can keep these in a document (PostgreSQL's jsonb refuses them): refused everywhere.
      () => carts.find({ where: { owner: 'a\u0000b' } }),
      () => carts.count({ where: { owner: { in: ['x', '\ud800'] } } }),
      () => carts.count({ where: { owner: [HOSTILE] as never } }),
      () => carts.get(''),
    ];
    for (const call of refused) await expect(Promise.resolve().then(() => call())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await carts.count()).toBe(2);
  });

  it('keys documents by documentId across streams', async () => {
    const { store } = await open();
    const owners = new Map<string, string>();
    const model = ownerTotals(owners);
    store.projection(model, { inline: true });
    const [a, b] = [cartId(), cartId()];
    owners.set(a, 'ann').set(b, 'ann');
    await cart(store, a, opened('ann'), item('x', 2));
    await cart(store, b, opened('ann'), item('y', 5));
    expect(await store.documents(model).get('ann')).toEqual({ owner: 'ann', carts: 2, total: 7 });
  });

  it('waitFor follows log order, where positions commit out of numeric order', async () => {
    const { store, adapter } = await open();
    // One writer at a time (SQLite, memory) commits positions in numeric order: nothing to show.
    if (!adapter.capabilities.concurrentWriters) return;
    const documents = adapter.documents!;
    const model = cartModel();
    const types = model.eventTypes;
    const first = gate();
    const release = gate();
    const positions: bigint[] = [];
    // A draws p1, B commits p2, then A draws p3 and commits: the log reads p1, p3, p2.
    const slow = store.transaction(async (tx) => {
      positions[0] = (await tx.append('ContractCart', cartId(), 0, [opened('a')]))[0]!.globalPosition;
      first.open();
      await release.promise;
      positions[2] = (await tx.append('ContractCart', cartId(), 0, [opened('a')]))[0]!.globalPosition;
    });
    await first.promise;
    positions[1] = (await cart(store, cartId(), opened('b')))[0]!.globalPosition;
    const [p1, p2] = positions as [bigint, bigint];
    // B is committed but behind A in flight: readers do not see it yet, so it is not handled.
    await adapter.saveCheckpoint(model.name, p2);
    expect(await documents.handled(model.name, p2, types)).toBe(false);
    release.open();
    await slow;
    const p3 = positions[2]!;
    expect(p3 > p2 && p2 > p1).toBe(true);
    await adapter.saveCheckpoint(model.name, p3);
    expect(await documents.handled(model.name, p1, types)).toBe(true);
    expect(await documents.handled(model.name, p3, types)).toBe(true);
    // Numerically past p2, but p2 comes after p3 in the log: not handled.
    expect(await documents.handled(model.name, p2, types)).toBe(false);
    await adapter.saveCheckpoint(model.name, p2);
    expect(await documents.handled(model.name, p2, types)).toBe(true);
    expect(await documents.handled(model.name, p3, types)).toBe(true);
  });
}
