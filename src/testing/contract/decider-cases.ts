import type { ContractTestApi } from './test-api.js';
import { defineDecider } from '../../core/decider.js';
import { ConcurrencyError } from '../../core/errors.js';
import { EventStore } from '../../event-store/event-store.js';
import { Deposited, Renamed, uid } from './fixtures.js';
import { interleaved, Ledger, LedgerError, ledgerDefinition, type LedgerCommand } from './ledger.js';
import type { OpenStore } from './open-store.js';

const open = (owner = 'ann'): LedgerCommand => ({ type: 'open', owner });
const deposit = (...amounts: number[]): LedgerCommand => ({ type: 'deposit', amounts });

export function deciderCases(openStore: OpenStore, { it, expect }: ContractTestApi): void {
  it('handle() creates a stream with its first command, appends to it after, and loadState() rebuilds it', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    expect(await store.loadState(Ledger, id)).toBeNull();
    const opened = await store.handle(Ledger, id, open());
    expect(opened.version).toBe(1);
    expect(opened.state.owner).toBe('ann');
    expect(opened.events).toHaveLength(1);
    expect(opened.events[0]).toMatchObject({ eventType: 'ContractAccountOpened', aggregateId: id, aggregateType: 'ContractLedger', aggregateVersion: 1 });
    expect(opened.events[0]!.globalPosition > 0n).toBe(true);
    const deposited = await store.handle(Ledger, id, deposit(1, 2));
    expect(deposited.events.map((e) => e.aggregateVersion)).toEqual([2, 3]);
    expect(deposited).toMatchObject({ version: 3, state: { owner: 'ann', balance: 3 } });
    const loaded = await store.loadState(Ledger, id);
    expect(loaded).toEqual({ version: 3, state: deposited.state });
    expect(loaded!.state.openedAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
    expect(loaded!.state.limit).toBe(2n ** 70n);
    expect((await store.loadEvents(id)).map((e) => e.aggregateType)).toEqual(['ContractLedger', 'ContractLedger', 'ContractLedger']);
  });

  it('handle() writes nothing when decide returns no event, and nothing when it throws', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    expect(await store.handle(Ledger, id, { type: 'nothing' })).toEqual({ events: [], version: 0, state: Ledger.initialState() });
    expect(await store.loadState(Ledger, id)).toBeNull();
    const refused = await store.handle(Ledger, id, deposit(1)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LedgerError);
    expect(await store.getAggregateVersion(id)).toBe(0);
    await store.handle(Ledger, id, open());
    expect(await store.handle(Ledger, id, deposit())).toMatchObject({ events: [], version: 1, state: { owner: 'ann' } });
    await expect(store.handle(Ledger, id, open('bo'))).rejects.toBeInstanceOf(LedgerError);
    expect(await store.getAggregateVersion(id)).toBe(1);
  });

  it('handle() refuses what decide returns that is not one of its created events, writing nothing', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    const returns: unknown[] = [
      { eventType: 'ContractDeposited', data: { amount: 1 } },
      Renamed.create({ firstName: 'a', lastName: 'b' }),
      Promise.resolve(Deposited.create({ amount: 1 })),
      [Deposited.create({ amount: 1 }), null],
    ];
    for (const value of returns) {
      const Sloppy = defineDecider({ ...ledgerDefinition, decide: () => value as never });
      await expect(store.handle(Sloppy, id, open())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    const forged = { ...Deposited.create({ amount: 1 }), data: { amount: -5 } };
    const Forging = defineDecider({ ...ledgerDefinition, decide: () => forged });
    await expect(store.handle(Forging, id, open())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.getAggregateVersion(id)).toBe(0);
  });

  it('handle() merges its metadata into every new event, under the event\'s own keys', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    await store.handle(Ledger, id, open(), { metadata: { correlationId: 'c-1', userId: 'caller' } });
    await store.handle(Ledger, id, { type: 'deposit', amounts: [1, 2], by: 'bo' }, { metadata: { correlationId: 'c-2', userId: 'caller' } });
    const events = await store.loadEvents(id);
    expect(events.map((e) => e.metadata)).toEqual([
      { correlationId: 'c-1', userId: 'caller' },
      { correlationId: 'c-2', userId: 'bo' },
      { correlationId: 'c-2', userId: 'bo' },
    ]);
  });

  it('handle() with expectedVersion: a stream at another version is a ConcurrencyError, decide does not run, nothing is written', async () => {
    const { store, adapter } = await openStore();
    const id = uid('ledger');
    await expect(store.handle(Ledger, id, open(), { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      aggregateId: id,
      expectedVersion: 1,
      actualVersion: 0,
    });
    expect((await store.handle(Ledger, id, open(), { expectedVersion: 0 })).version).toBe(1);
    let decided = 0;
    const Counting = defineDecider({ ...ledgerDefinition, decide: (command: LedgerCommand, state) => (decided++, ledgerDefinition.decide(command, state)) });
    await expect(store.handle(Counting, id, deposit(1), { expectedVersion: 0 })).rejects.toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect(decided).toBe(0);
    expect(await store.getAggregateVersion(id)).toBe(1);
    expect((await store.handle(Counting, id, deposit(1), { expectedVersion: 1 })).version).toBe(2);

    // Another writer between the load and the append: not retried.
    const other = uid('ledger');
    await store.handle(Ledger, other, open());
    let slipped = false;
    const racing = new EventStore(
      interleaved(adapter, async (aggregateId) => {
        if (aggregateId !== other || slipped) return;
        slipped = true;
        await store.append('ContractLedger', other, 1, [Deposited.create({ amount: 100 })]);
      }),
    );
    const raced = await racing.handle(Counting, other, deposit(5), { expectedVersion: 1 }).catch((error: unknown) => error);
    expect(raced).toBeInstanceOf(ConcurrencyError);
    expect((await store.loadState(Ledger, other))!).toMatchObject({ version: 2, state: { balance: 100 } });
  });

  it('handle() without expectedVersion loads and decides again after a conflict, at most maxRetries more times', async () => {
    const { store, adapter } = await openStore();
    const id = uid('ledger');
    await store.handle(Ledger, id, open());
    let slips = 0;
    let slipsWanted = 1;
    const racing = new EventStore(
      interleaved(adapter, async (aggregateId) => {
        if (aggregateId !== id || slips >= slipsWanted) return;
        slips++;
        await store.append('ContractLedger', id, 'any', [Deposited.create({ amount: 100 })]);
      }),
    );
    let decided = 0;
    const Counting = defineDecider({ ...ledgerDefinition, decide: (command: LedgerCommand, state) => (decided++, ledgerDefinition.decide(command, state)) });
    const result = await racing.handle(Counting, id, deposit(5));
    expect(decided).toBe(2);
    expect(result).toMatchObject({ version: 3, state: { balance: 105 } });
    expect(result.events.map((e) => e.aggregateVersion)).toEqual([3]);

    slips = 0;
    slipsWanted = 3;
    decided = 0;
    await expect(racing.handle(Counting, id, deposit(5), { maxRetries: 2 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(decided).toBe(3);
    expect(await store.loadState(Ledger, id)).toMatchObject({ version: 6, state: { balance: 405 } });
  });

  it('handle() from concurrent callers on one stream: every command lands once', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    await store.handle(Ledger, id, open());
    const results = await Promise.all([1, 2, 3, 4, 5].map((amount) => store.handle(Ledger, id, deposit(amount), { maxRetries: 10 })));
    expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4, 5, 6]);
    expect(await store.loadState(Ledger, id)).toMatchObject({ version: 6, state: { balance: 15 } });
  });

  it('refuses a stream of another type, and a stream holding events the decider does not list', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    await store.append('ContractAccount', id, 0, [Deposited.create({ amount: 1 })]);
    await expect(store.loadState(Ledger, id)).rejects.toMatchObject({ code: 'AGGREGATE_TYPE_MISMATCH', expectedType: 'ContractLedger' });
    await expect(store.handle(Ledger, id, deposit(1))).rejects.toMatchObject({ code: 'AGGREGATE_TYPE_MISMATCH' });
    expect(await store.getAggregateVersion(id)).toBe(1);
    const odd = uid('ledger');
    await store.append('ContractLedger', odd, 0, [Renamed.create({ firstName: 'a', lastName: 'b' })]);
    await expect(store.loadState(Ledger, odd)).rejects.toMatchObject({ code: 'MISSING_EVENT_HANDLER', eventType: 'ContractRenamed' });
  });

  it('snapshots decider state every snapshotEvery events, loads from it, and ignores another snapshotVersion', async () => {
    const { store, adapter } = await openStore({ snapshotEvery: 3 });
    const id = uid('ledger');
    await store.handle(Ledger, id, open());
    await store.handle(Ledger, id, deposit(1, 1));
    expect(await adapter.loadSnapshot(id, 1)).toMatchObject({ aggregateVersion: 3, aggregateType: 'ContractLedger', snapshotVersion: 1 });
    await store.handle(Ledger, id, deposit(1, 1));
    expect(await adapter.loadSnapshot(id, 1)).toMatchObject({ aggregateVersion: 3 });
    await store.handle(Ledger, id, deposit(1));
    const snapshot = await adapter.loadSnapshot(id, 1);
    expect(snapshot).toMatchObject({ aggregateVersion: 6 });
    // Prove the load starts from the snapshot: plant a marked one at a newer version (a store
    // without snapshots wrote event 7), then append event 8 after it.
    const plain = new EventStore(adapter).register(Deposited);
    await plain.append('ContractLedger', id, 6, [Deposited.create({ amount: 1 })]);
    await adapter.saveSnapshot({ ...snapshot!, aggregateVersion: 7, state: snapshot!.state.replace('"ann"', '"planted"') });
    await plain.append('ContractLedger', id, 7, [Deposited.create({ amount: 1 })]);
    const loaded = await store.loadState(Ledger, id);
    expect(loaded).toMatchObject({ version: 8, state: { owner: 'planted', balance: 6 } });
    expect(loaded!.state.openedAt).toEqual(new Date('2024-01-02T03:04:05.678Z'));
    expect(loaded!.state.limit).toBe(2n ** 70n);
    expect(loaded!.state.deposits).toEqual(new Map([[2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [8, 1]]));
    const handled = await store.handle(Ledger, id, deposit(1));
    expect(handled).toMatchObject({ version: 9, state: { owner: 'planted', balance: 7 } });
    expect(await adapter.loadSnapshot(id, 1)).toMatchObject({ aggregateVersion: 9 });
    const LedgerV2 = defineDecider({ ...ledgerDefinition, snapshotVersion: 2 });
    expect(await store.loadState(LedgerV2, id)).toMatchObject({ version: 9, state: { owner: 'ann', balance: 8 } });
  });

  it('checks its arguments with INVALID_ARGUMENT, writing nothing, and throws STORE_CLOSED once closed', async () => {
    const { store } = await openStore();
    const id = uid('ledger');
    const bad: [unknown, unknown, unknown][] = [
      [{ ...ledgerDefinition }, id, {}],
      [null, id, {}],
      [Ledger, '', {}],
      [Ledger, id, null],
      [Ledger, id, { expectedVersion: -1 }],
      [Ledger, id, { expectedVersion: 'any' }],
      [Ledger, id, { expectedVersion: 1.5 }],
      [Ledger, id, { maxRetries: -1 }],
      [Ledger, id, { metadata: ['x'] }],
    ];
    for (const [decider, aggregateId, options] of bad) {
      await expect(store.handle(decider as typeof Ledger, aggregateId as string, open(), options as object)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    await expect(store.loadState({ ...Ledger }, id)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.getAggregateVersion(id)).toBe(0);
    await store.close();
    await expect(store.handle(Ledger, id, open())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    await expect(store.loadState(Ledger, id)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
}
