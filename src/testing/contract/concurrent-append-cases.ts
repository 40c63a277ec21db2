import type { ContractTestApi } from './test-api.js';
import type { Event, NewEvent } from '../../core/event.js';
import type { EventStore } from '../../event-store/event-store.js';
import { Deposited, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

type Kind = 'good' | 'stale' | 'invalid' | 'retry' | 'twin' | 'new';
const KINDS: readonly Kind[] = ['good', 'stale', 'invalid', 'retry', 'twin', 'new'];
/** Callers per kind: enough that, with group commit, groups hold every kind at once. */
const PER_KIND = 12;

interface Call {
  kind: Kind;
  id: string;
  events: NewEvent[];
  /** What the append should come to: stored, or refused with this code. */
  refusedWith?: string;
  /** The records a retry must get back (the ones stored before the run). */
  stored?: Event[];
}

/** Reads the log from `after` until `stop()` is called and one last page came back short; returns every event seen, in order. */
function follow(store: EventStore, after: bigint): { stop: () => Promise<Event[]> } {
  const seen: Event[] = [];
  let stopping = false;
  const run = (async () => {
    let position = after;
    for (;;) {
      const last = stopping;
      const page = await store.readAll({ fromPosition: position, limit: 50 });
      seen.push(...page);
      position = page[page.length - 1]?.globalPosition ?? position;
      if (page.length === 50) continue;
      if (last) return seen;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  return {
    stop: () => {
      stopping = true;
      return run;
    },
  };
}

/**
 * Many callers appending at once (what group commit gathers into shared transactions): each gets
 * its own answer, and readers following the log see every committed event.
 */
export function concurrentAppendCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('answers each of many concurrent appenders for itself: good, stale, invalid, retried and twin batches', async () => {
    const { store } = await open();
    const calls: Call[] = [];
    for (const kind of KINDS) {
      for (let i = 0; i < PER_KIND; i++) {
        const id = uid(`many-${kind}`);
        const first = Deposited.create({ amount: 1 });
        let stored: Event[] | undefined;
        if (kind !== 'new' && kind !== 'twin') stored = await store.append('ContractAccount', id, 'no-stream', [first]);
        const events =
          kind === 'retry'
            ? [first]
            : kind === 'invalid'
              ? [Deposited.create({ amount: 2 }), { ...Deposited.create({ amount: 3 }), data: { amount: 'lots' } } as NewEvent]
              : [Deposited.create({ amount: 2 }), Deposited.create({ amount: 3 })];
        const call: Call = { kind, id, events };
        if (kind === 'stale') call.refusedWith = 'CONCURRENCY_CONFLICT';
        if (kind === 'invalid') call.refusedWith = 'EVENT_VALIDATION';
        if (kind === 'retry' && stored) call.stored = stored;
        calls.push(call);
        // Twins: the same batch twice at once, as a client retrying before the first answer came.
        if (kind === 'twin') calls.push({ ...call });
      }
    }
    const start = await store.getGlobalPosition();
    const follower = follow(store, start);
    const expected = (call: Call) => (call.kind === 'good' || call.kind === 'invalid' ? 1 : call.kind === 'stale' ? 0 : 'no-stream');
    // Interleaved kinds, all started in one tick.
    const order = calls.map((call, i) => ({ call, key: (i % PER_KIND) * KINDS.length + i })).sort((a, b) => a.key - b.key);
    const results = await Promise.allSettled(order.map(({ call }) => store.append('ContractAccount', call.id, expected(call), call.events)));
    const seen = await follower.stop();
    const log = await store.readAll({ fromPosition: start, limit: 100_000 });

    // No committed event skipped by the follower: it saw the whole log, in order.
    expect(seen.map((e) => e.globalPosition)).toEqual(log.map((e) => e.globalPosition));
    const positions = log.map((e) => e.globalPosition);
    expect(new Set(positions).size).toBe(positions.length);
    const countById = new Map<string, number>();
    for (const event of log) countById.set(event.eventId, (countById.get(event.eventId) ?? 0) + 1);

    results.forEach((result, i) => {
      const { call } = order[i]!;
      if (call.refusedWith) {
        expect(result.status, `${call.kind} ${call.id}`).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toMatchObject({ code: call.refusedWith });
        for (const event of call.events) expect(countById.has(event.eventId), `refused ${event.eventId} absent`).toBe(false);
        return;
      }
      expect(result.status, `${call.kind} ${call.id}: ${String((result as PromiseRejectedResult).reason)}`).toBe('fulfilled');
      const events = (result as PromiseFulfilledResult<Event[]>).value;
      expect(events.map((e) => e.eventId)).toEqual(call.events.map((e) => e.eventId));
      if (call.stored) {
        // A retry of a batch stored before the run: the stored records, nothing new.
        expect(events.map((e) => e.globalPosition)).toEqual(call.stored.map((e) => e.globalPosition));
        return;
      }
      // Stored exactly once, in the log the readers see, where the caller was told.
      const inLog = new Map(log.map((e) => [e.eventId, e.globalPosition]));
      for (const event of events) {
        expect(countById.get(event.eventId), `acknowledged ${event.eventId} stored once`).toBe(1);
        expect(inLog.get(event.eventId)).toBe(event.globalPosition);
      }
    });
    for (const call of calls) {
      const versions = (await store.loadEvents(call.id)).map((e) => e.aggregateVersion);
      const length = call.kind === 'good' ? 3 : call.kind === 'new' || call.kind === 'twin' ? 2 : 1;
      expect(versions, `${call.kind} ${call.id}`).toEqual(Array.from({ length }, (_, i) => i + 1));
    }
  });

  it('refuses a batch whose last event id is already stored, alone and whole, among concurrent appends', async () => {
    const { store } = await open();
    const [taken] = await store.append('ContractAccount', uid('dup-owner'), 'no-stream', [Deposited.create({ amount: 1 })]);
    const clash = uid('dup-clash');
    // Its first events are new: a write that went row by row would have stored them before the clash.
    const clashing = [Deposited.create({ amount: 2 }), Deposited.create({ amount: 3 }), { ...Deposited.create({ amount: 4 }), eventId: taken!.eventId }];
    const others = Array.from({ length: 16 }, () => uid('dup-other'));
    const results = await Promise.allSettled([
      ...others.slice(0, 8).map((id) => store.append('ContractAccount', id, 'no-stream', [Deposited.create({ amount: 5 })])),
      store.append('ContractAccount', clash, 'no-stream', clashing),
      ...others.slice(8).map((id) => store.append('ContractAccount', id, 'no-stream', [Deposited.create({ amount: 6 })])),
    ]);
    const refused = results[8]!;
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'DUPLICATE_EVENT' });
    expect(await store.loadEvents(clash)).toEqual([]);
    for (const [i, result] of results.entries()) if (i !== 8) expect(result.status).toBe('fulfilled');
    for (const id of others) expect((await store.loadEvents(id)).length).toBe(1);
  });
}
