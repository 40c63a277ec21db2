import { describe, expect, it } from 'vitest';
import { EventStore, EventStreamer, type StreamedEvent } from '../../src/index.js';
import { Account, AccountOpened, Deposited, uid } from '../../src/testing/contract/fixtures.js';

async function drain(receiver: AsyncIterable<StreamedEvent>, count: number): Promise<StreamedEvent[]> {
  const out: StreamedEvent[] = [];
  if (count === 0) return out;
  for await (const item of receiver) {
    out.push(item);
    if (out.length === count) break;
  }
  return out;
}

describe.each(['memory:', 'sqlite::memory:'])('a store with a streamer (%s)', (url) => {
  it('publishes each committed event once, after commit, in commit order', async () => {
    const streamer = new EventStreamer({ capacity: 100 });
    const receiver = streamer.subscribe({ id: 'all' });
    const store = (await EventStore.create(url, { streamer })).register(AccountOpened, Deposited);
    const a = new Account(uid());
    a.open('ann');
    a.deposit(1);
    const b = new Account(uid());
    b.open('bo');
    await Promise.all([store.save(a), store.save(b)]);
    await store.transaction(async (tx) => {
      a.deposit(2);
      await tx.save(a);
    });
    const items = await drain(receiver, 4);
    expect(items.map((i) => i.event.eventType)).toEqual([
      'ContractAccountOpened',
      'ContractDeposited',
      'ContractAccountOpened',
      'ContractDeposited',
    ]);
    const positions = items.map((i) => i.globalPosition);
    expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
    expect(items.map((i) => i.streamPosition)).toEqual([1, 2, 1, 3]);
    expect(streamer.stats().totals.published).toBe(4);
    await store.close();
  });

  it('publishes nothing for a rolled-back transaction or a conflicting save', async () => {
    const streamer = new EventStreamer();
    const store = (await EventStore.create(url, { streamer })).register(AccountOpened, Deposited);
    const a = new Account(uid());
    a.open('ann');
    await expect(
      store.transaction(async (tx) => {
        await tx.save(a);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const stale = new Account(a.id);
    stale.open('again');
    await store.save(a);
    await expect(store.save(stale)).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(streamer.stats().totals.published).toBe(1);
    await store.close();
  });

  it('makes a save wait while a receiver with a full buffer is not read (backpressure)', async () => {
    const streamer = new EventStreamer({ capacity: 1 });
    const receiver = streamer.subscribe({ id: 'slow' });
    const store = (await EventStore.create(url, { streamer })).register(AccountOpened, Deposited);
    const a = new Account(uid());
    a.open('ann');
    await store.save(a);
    a.deposit(1);
    let saved = false;
    const second = store.save(a).then(() => (saved = true));
    await new Promise((r) => setImmediate(r));
    expect(saved).toBe(false);
    expect(streamer.stats().totals.buffered).toBe(1);
    await drain(receiver, 2);
    await second;
    expect(saved).toBe(true);
    await store.close();
  });
});
