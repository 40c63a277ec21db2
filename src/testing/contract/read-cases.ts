import type { ContractTestApi } from './test-api.js';
import { EventStore } from '../../event-store/event-store.js';
import type { Event } from '../../core/event.js';
import { Account, Deposited, Renamed, appendRaw, gate, rawRecord, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

export function readCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('pages through readAll returning every event exactly once, in one order', async () => {
    const { store } = await open();
    const start = await store.getGlobalPosition();
    const ids = Array.from({ length: 5 }, () => uid());
    for (let round = 0; round < 5; round++) {
      for (const id of ids) await store.append('ContractAccount', id, 'any', [Deposited.create({ amount: round + 1 })]);
    }
    const seen: Event[] = [];
    let from = start;
    for (;;) {
      const page = await store.readAll({ fromPosition: from, limit: 7 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(7);
      seen.push(...page);
      from = page.at(-1)!.globalPosition;
    }
    const ours = seen.filter((e) => ids.includes(e.aggregateId));
    expect(ours).toHaveLength(25);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);
    expect(await store.getGlobalPosition()).toBe(seen.at(-1)!.globalPosition);
    expect(await store.readAll({ fromPosition: from })).toEqual([]);
  });

  it('filters readAll by event type and aggregate type', async () => {
    const { store } = await open();
    const start = await store.getGlobalPosition();
    const account = new Account(uid());
    account.open('ann');
    account.deposit(5);
    await store.save(account);
    await store.append('ContractOther', uid(), 0, [Deposited.create({ amount: 9 })]);
    const deposits = await store.readAll({ fromPosition: start, eventTypes: ['ContractDeposited'] });
    expect(deposits.map((e) => e.data)).toEqual([{ amount: 5 }, { amount: 9 }]);
    const accounts = await store.readAll({ fromPosition: start, aggregateTypes: ['ContractAccount'] });
    expect(accounts.map((e) => e.eventType)).toEqual(['ContractAccountOpened', 'ContractDeposited']);
    const both = await store.readAll({ fromPosition: start, eventTypes: ['ContractDeposited'], aggregateTypes: ['ContractOther'] });
    expect(both.map((e) => e.data)).toEqual([{ amount: 9 }]);
    expect(await store.loadEventsByType('ContractOther', { fromPosition: start })).toHaveLength(1);
  });

  it('never skips an event whose transaction drew a lower position but committed later', async () => {
    const { store } = await open();
    const start = await store.getGlobalPosition();
    const slow = uid('slow');
    const fast = uid('fast');
    const drawn = gate();
    const release = gate();
    const slowTx = store.transaction(async (tx) => {
      await tx.append('ContractAccount', slow, 0, [Deposited.create({ amount: 1 })]);
      drawn.open();
      await release.promise;
    });
    await drawn.promise;
    const fastSave = store.append('ContractAccount', fast, 0, [Deposited.create({ amount: 2 })]);
    // With concurrent writers the fast append commits while the slow one is open; a single writer queues it.
    if (store.capabilities.concurrentWriters) await fastSave;
    const early = store.readAll({ fromPosition: start });
    const earlyPosition = store.getGlobalPosition();
    // Concurrent writers: both reads must finish while the slow transaction is still open.
    if (store.capabilities.concurrentWriters) await Promise.all([early, earlyPosition]);
    release.open();
    await Promise.all([slowTx, fastSave]);
    const firstRead = await early;
    const resumeFrom = firstRead.at(-1)?.globalPosition ?? start;
    expect(await earlyPosition).toBe(resumeFrom);
    const rest = await store.readAll({ fromPosition: resumeFrom });
    const all = [...firstRead, ...rest].map((e) => e.aggregateId);
    expect(all.filter((id) => id === slow || id === fast).sort()).toEqual([fast, slow].sort());
    expect(new Set(all).size).toBe(all.length);
  });

  it('round-trips Dates, bigints and metadata', async () => {
    const { store } = await open();
    const account = new Account(uid());
    account.open('ann', 2n ** 70n);
    await store.save(account);
    await store.append('ContractAccount', account.id, 1, [
      Deposited.create({ amount: 3 }, { metadata: { correlationId: 'c-1', causationId: 'e-0', userId: 'u-7', nested: { a: [1, 'b'] } } }),
    ]);
    const [opened, deposited] = await store.loadEvents(account.id);
    expect(opened!.data).toEqual({ owner: 'ann', openedAt: new Date('2024-01-02T03:04:05.678Z'), limit: 2n ** 70n });
    expect(opened!.timestamp).toBeInstanceOf(Date);
    expect(deposited!.metadata).toEqual({ correlationId: 'c-1', causationId: 'e-0', userId: 'u-7', nested: { a: [1, 'b'] } });
    const loaded = await store.load(Account, account.id);
    expect(loaded!.limit).toBe(2n ** 70n);
    expect(loaded!.openedAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
  });

  it('loadEvents is inclusive of fromVersion and toVersion', async () => {
    const { store } = await open();
    const id = uid();
    await store.append('ContractAccount', id, 0, [1, 2, 3, 4].map((amount) => Deposited.create({ amount })));
    expect((await store.loadEvents(id, { fromVersion: 2 })).map((e) => e.aggregateVersion)).toEqual([2, 3, 4]);
    expect((await store.loadEvents(id, { fromVersion: 2, toVersion: 3 })).map((e) => e.aggregateVersion)).toEqual([2, 3]);
    expect(await store.loadEvents(uid())).toEqual([]);
  });

  it('upcasts events stored at an older schema version', async () => {
    const { store, adapter } = await open();
    const id = uid();
    await appendRaw(adapter, id, rawRecord('ContractRenamed', JSON.stringify({ name: 'Ann Lee' }), 1));
    await store.append('ContractAccount', id, 1, [Renamed.create({ firstName: 'Bo', lastName: 'Ng' })]);
    const events = await store.loadEvents(id);
    expect(events.map((e) => e.data)).toEqual([
      { firstName: 'Ann', lastName: 'Lee' },
      { firstName: 'Bo', lastName: 'Ng' },
    ]);
    expect(events.map((e) => e.schemaVersion)).toEqual([2, 2]);
    const account = await store.load(Account, id);
    expect(account!.name).toBe('Bo Ng');
  });

  it('throws UnknownEventTypeError for an unregistered type, or returns it raw when asked', async () => {
    const { store, adapter } = await open();
    const id = uid();
    await appendRaw(adapter, id, rawRecord('ContractMystery', '{"x":1}'));
    await expect(store.loadEvents(id)).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', eventType: 'ContractMystery' });
    const raw = new EventStore(adapter, { unknownEvents: 'raw' });
    const [event] = await raw.loadEvents(id);
    expect(event).toMatchObject({ eventType: 'ContractMystery', data: { x: 1 }, schemaVersion: 1 });
  });

  it('raises EventDeserializationError with the position of a corrupted row', async () => {
    const { store, adapter } = await open();
    const id = uid();
    // A database that checks JSON (PostgreSQL's jsonb) refuses broken text outright, writing nothing;
    // one that stores text keeps it, and reading it must then fail with the row's position.
    const badJson = await adapter
      .append({ aggregateId: id, aggregateType: 'ContractAccount', expectedVersion: 0, events: [rawRecord('ContractDeposited', '{"amount": 1')] })
      .catch((error: unknown) => error);
    if (Array.isArray(badJson)) {
      await expect(store.loadEvents(id)).rejects.toMatchObject({
        code: 'EVENT_DESERIALIZATION',
        globalPosition: (badJson[0] as { globalPosition: bigint }).globalPosition,
      });
    } else {
      expect(badJson).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(await store.getAggregateVersion(id)).toBe(0);
    }
    const other = uid();
    const [badShape] = await appendRaw(adapter, other, rawRecord('ContractDeposited', '{"amount":"ten"}'));
    await expect(store.load(Account, other)).rejects.toMatchObject({
      code: 'EVENT_DESERIALIZATION',
      globalPosition: badShape!.globalPosition,
    });
    const future = uid();
    await appendRaw(adapter, future, rawRecord('ContractDeposited', '{"amount":1}', 7));
    await expect(store.loadEvents(future)).rejects.toMatchObject({ code: 'EVENT_DESERIALIZATION' });
  });

  it('rejects bad read arguments with INVALID_ARGUMENT', async () => {
    const { store } = await open();
    await expect(store.readAll({ fromPosition: -1n })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.readAll({ fromPosition: 1 as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.readAll({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.readAll({ eventTypes: 'x' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.loadEvents(uid(), { fromVersion: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
}
