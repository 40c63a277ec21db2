import { randomUUID } from 'node:crypto';
import type { ContractTestApi } from './test-api.js';
import { ConcurrencyError, DuplicateEventError, EventValidationError } from '../../core/errors.js';
import type { NewEvent } from '../../core/event.js';
import { Account, Deposited, Renamed, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

export function appendCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('appends a new stream at versions 1…n with increasing positions', async () => {
    const { store } = await open();
    const id = uid();
    const events = await store.append('ContractAccount', id, 'no-stream', [
      Deposited.create({ amount: 1 }),
      Deposited.create({ amount: 2 }),
    ]);
    expect(events.map((e) => e.aggregateVersion)).toEqual([1, 2]);
    expect(events[1]!.globalPosition > events[0]!.globalPosition).toBe(true);
    expect(await store.getAggregateVersion(id)).toBe(2);
  });

  it('checks expected versions: new, exact, any and stale', async () => {
    const { store } = await open();
    const id = uid();
    await store.append('ContractAccount', id, 0, [Deposited.create({ amount: 1 })]);
    await store.append('ContractAccount', id, 1, [Deposited.create({ amount: 2 })]);
    await store.append('ContractAccount', id, 'any', [Deposited.create({ amount: 3 })]);
    const stale = store.append('ContractAccount', id, 1, [Deposited.create({ amount: 4 })]);
    await expect(stale).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', aggregateId: id, expectedVersion: 1, actualVersion: 3 });
    await expect(store.append('ContractAccount', id, 'no-stream', [Deposited.create({ amount: 5 })])).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(store.append('ContractAccount', uid(), 2, [Deposited.create({ amount: 6 })])).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      actualVersion: 0,
    });
    expect((await store.loadEvents(id)).map((e) => e.data)).toEqual([{ amount: 1 }, { amount: 2 }, { amount: 3 }]);
  });

  it('writes nothing of a conflicting batch', async () => {
    const { store } = await open();
    const id = uid();
    await store.append('ContractAccount', id, 0, [Deposited.create({ amount: 1 })]);
    const before = await store.getGlobalPosition();
    const batch = [Deposited.create({ amount: 2 }), Deposited.create({ amount: 3 })];
    await expect(store.append('ContractAccount', id, 0, batch)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.getAggregateVersion(id)).toBe(1);
    expect(await store.readAll({ fromPosition: before })).toEqual([]);
  });

  it('lets exactly one of many parallel appenders win each version', async () => {
    const { store } = await open();
    const id = uid();
    for (let version = 0; version < 4; version++) {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => store.append('ContractAccount', id, version, [Deposited.create({ amount: i + 1 })])),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const failure of lost) expect(failure.reason).toBeInstanceOf(ConcurrencyError);
    }
    const events = await store.loadEvents(id);
    expect(events.map((e) => e.aggregateVersion)).toEqual([1, 2, 3, 4]);
  });

  it('returns the stored events when a batch is retried with the same event ids', async () => {
    const { store } = await open();
    const id = uid();
    const batch = [Deposited.create({ amount: 1 }), Deposited.create({ amount: 2 })];
    const first = await store.append('ContractAccount', id, 0, batch);
    const retry = await store.append('ContractAccount', id, 0, batch);
    expect(retry.map((e) => [e.eventId, e.globalPosition, e.aggregateVersion])).toEqual(
      first.map((e) => [e.eventId, e.globalPosition, e.aggregateVersion]),
    );
    await store.append('ContractAccount', id, 2, [Deposited.create({ amount: 3 })]);
    const late = await store.append('ContractAccount', id, 0, batch);
    expect(late.map((e) => e.globalPosition)).toEqual(first.map((e) => e.globalPosition));
    const anyRetry = await store.append('ContractAccount', id, 'any', batch);
    expect(anyRetry.map((e) => e.globalPosition)).toEqual(first.map((e) => e.globalPosition));
    expect(await store.loadEvents(id)).toHaveLength(3);
  });

  it('rejects an event id stored elsewhere with DuplicateEventError, writing nothing', async () => {
    const { store } = await open();
    const event = Deposited.create({ amount: 1 });
    await store.append('ContractAccount', uid(), 0, [event]);
    const other = uid();
    const again = Deposited.create({ amount: 1 }, { eventId: event.eventId });
    await expect(store.append('ContractAccount', other, 0, [Deposited.create({ amount: 2 }), again])).rejects.toBeInstanceOf(
      DuplicateEventError,
    );
    expect(await store.getAggregateVersion(other)).toBe(0);
  });

  it('rejects invalid data before anything is written', async () => {
    const { store } = await open();
    const id = uid();
    expect(() => Deposited.create({ amount: -1 })).toThrow(EventValidationError);
    const forged = { ...Deposited.create({ amount: 1 }), data: { amount: 'lots' } };
    await expect(store.append('ContractAccount', id, 0, [forged])).rejects.toMatchObject({
      code: 'EVENT_VALIDATION',
      eventType: 'ContractDeposited',
    });
    expect(await store.getAggregateVersion(id)).toBe(0);
  });

  it('rejects bad ids and versions with INVALID_ARGUMENT', async () => {
    const { store } = await open();
    const event = () => [Deposited.create({ amount: 1 })];
    for (const bad of ['', 'x'.repeat(256), 'a\u0000b']) {
      await expect(store.append('ContractAccount', bad, 0, event())).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    for (const version of [-1, 1.5, Number.NaN, 'latest']) {
      await expect(store.append('ContractAccount', uid(), version as never, event())).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    const same = Deposited.create({ amount: 1 });
    await expect(store.append('ContractAccount', uid(), 0, [same, same])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => Deposited.create({ amount: 1 }, { eventId: '' })).toThrow(/eventId/);
  });

  it('refuses a NUL character or a lone surrogate in event data or metadata with INVALID_ARGUMENT, writing nothing', async () => {
    const { store } = await open();
    const id = uid();
    const before = await store.getGlobalPosition();
    const ok = () => Deposited.create({ amount: 1 });
    const bad: [NewEvent, RegExp][] = [
      [Renamed.create({ firstName: 'a\u0000b', lastName: 'x' }), /NUL.* at firstName/],
      [Renamed.create({ firstName: 'x', lastName: 'a\uD800' }), /lone UTF-16 surrogate at lastName/],
      [Renamed.create({ firstName: '\uDE00', lastName: 'x' }), /surrogate at firstName/],
      [Deposited.create({ amount: 1 }, { metadata: { note: ['fine', 'x\u0000'] } }), /metadata: .*NUL.* at note\.1/],
      [Deposited.create({ amount: 1 }, { metadata: { ['k\u0000']: 1 } }), /metadata: .*NUL.* in a key/],
    ];
    for (const [event, message] of bad) {
      const attempt = store.append('ContractAccount', id, 'no-stream', [ok(), event]);
      await expect(attempt).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      const { message: said } = (await attempt.catch((error: unknown) => error)) as Error;
      expect(message.test(said), said).toBe(true);
    }
    const account = new Account(uid());
    account.open('O\u0000Brien');
    await expect(store.save(account)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.transaction((tx) => tx.append('ContractAccount', id, 'no-stream', [Renamed.create({ firstName: '\u0000', lastName: 'x' })]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await store.readAll({ fromPosition: before })).toEqual([]);
    // Look-alikes are kept: paired surrogates (emoji), an escaped backslash before "u0000", U+FFFD.
    const text = { firstName: '😀 \\u0000 \\\\ud800', lastName: '\uFFFD \u0001' };
    await store.append('ContractAccount', id, 'no-stream', [Renamed.create(text)]);
    expect((await store.loadEvents(id)).map((e) => e.data)).toEqual([text]);
  });

  it('keeps ids with SQL metacharacters and unicode as given', async () => {
    const { store } = await open();
    const id = `'; DROP TABLE events; -- ${randomUUID()} ∑ 🚀 \\ "`;
    const account = new Account(id);
    account.open("O'Brien \"quoted\" ✓");
    await store.save(account);
    const loaded = await store.load(Account, id);
    expect(loaded?.owner).toBe("O'Brien \"quoted\" ✓");
    expect(loaded?.id).toBe(id);
  });
}
