import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  defineProjection,
  defineSaga,
  EventStore,
  MemoryAdapter,
  SagaCoordinator,
  type Event,
  type TransactionSession,
} from '../../src/index.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { call } from './support/hostile.js';

// Regression tests for the subscription bugs the torture suite found under PostgreSQL faults,
// made deterministic with a memory adapter that fails chosen calls with ConnectionError (what
// the SQL adapters throw for a dropped connection or, on SQLite, a database busy past its timeout).

/** A memory store whose chosen calls fail with ConnectionError: the n-th, n+1-th… call of a method. */
class FlakyAdapter extends MemoryAdapter {
  readonly calls = new Map<string, number>();
  readonly failing = new Map<string, Set<number>>();

  failCalls(method: 'loadCheckpoint' | 'transaction', numbers: number[]): this {
    this.failing.set(method, new Set(numbers));
    return this;
  }

  #maybeFail(method: string): void {
    const call = (this.calls.get(method) ?? 0) + 1;
    this.calls.set(method, call);
    if (this.failing.get(method)?.has(call)) throw new ConnectionError(`${method} call ${call}: the database went away`);
  }

  override async loadCheckpoint(subscriptionId: string): Promise<bigint | null> {
    this.#maybeFail('loadCheckpoint');
    return super.loadCheckpoint(subscriptionId);
  }

  override async transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    this.#maybeFail('transaction');
    return super.transaction(fn);
  }
}

const stores: EventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function storeWithEvents(adapter: FlakyAdapter): Promise<{ store: EventStore; written: string[] }> {
  const store = new EventStore(adapter).register(...TORTURE_EVENTS);
  stores.push(store);
  const written = await store.append('Flaky', 'flaky-1', 'no-stream', Array.from({ length: 5 }, (_, n) => Noted.create({ n, text: 'x' })));
  return { store, written: written.map((e) => e.eventId) };
}

/** A projection keeping its read model in memory. */
function listProjection(seen: string[]) {
  return defineProjection({ name: 'flaky-list', events: [Noted], handlers: { Noted: (event) => void seen.push(event.eventId) } });
}

describe('regressions: subscriptions when the store cannot be reached', () => {
  it('keeps a subscription going when loading its checkpoint fails with CONNECTION (it failed for good)', async () => {
    const { store, written } = await storeWithEvents(new FlakyAdapter().failCalls('loadCheckpoint', [1]));
    const seen: Event[] = [];
    const sub = store.subscribe({ id: 'flaky-checkpoint', pollIntervalMs: 10, handle: (event) => void seen.push(event) });
    await sub.start();
    await sub.waitUntilCaughtUp({ timeoutMs: 10_000 });
    expect(seen.map((e) => e.eventId)).toEqual(written);
    expect(sub.state).toBe('live');
  });

  it("keeps a projection going when its setup's transaction fails with CONNECTION (it failed for good)", async () => {
    const { store, written } = await storeWithEvents(new FlakyAdapter().failCalls('transaction', [1]));
    const seen: string[] = [];
    const runner = store.projection(listProjection(seen), { pollIntervalMs: 10 });
    await runner.start();
    await runner.waitUntilCaughtUp({ timeoutMs: 10_000 });
    expect(seen).toEqual(written);
  });

  it('never parks an event because the store could not be reached: the read model gets it once the store is back (it was dead-lettered)', async () => {
    // Transaction 1 is the setup; 2 is the batch; 3, 4 and 5 are the event's three attempts.
    const { store, written } = await storeWithEvents(new FlakyAdapter().failCalls('transaction', [2, 3, 4, 5]));
    const seen: string[] = [];
    const runner = store.projection(listProjection(seen), { pollIntervalMs: 10, retry: { backoffMs: 1 } });
    await runner.start();
    await runner.waitUntilCaughtUp({ timeoutMs: 10_000 });
    expect(await runner.listDeadLetters()).toEqual([]);
    expect(seen).toEqual(written);
  });

  it('refuses timer options Node.js cannot keep (a longer one fired every millisecond) or runs without overflowing a timer', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const { store } = await storeWithEvents(new FlakyAdapter());
      const sub = await call(() => store.subscribe({ id: 'long-lease', leaseTtlMs: 2 ** 40, pollIntervalMs: 2 ** 40, handle: () => undefined }));
      if (sub.ok) {
        await sub.value.start();
        await sub.value.waitUntilCaughtUp({ timeoutMs: 10_000 });
        await sub.value.stop();
      }
      const saga = defineSaga('long-lease', { steps: [{ name: 'only', execute: () => 'done' }] });
      const coordinator = await call(() => new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 2 ** 40 }));
      if (coordinator.ok) {
        const sagaId = await coordinator.value.start('long-lease', null);
        await coordinator.value.waitFor(sagaId, { timeoutMs: 10_000 });
        await coordinator.value.stop();
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.startsWith('TimeoutOverflowWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
