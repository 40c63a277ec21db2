import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, ConnectionError } from '../../src/core/errors.js';
import type { AppendBatch, EventRecord } from '../../src/store/event-log.js';
import { GroupCommitter, type GroupOutcome } from '../../src/store/sql/group-commit.js';
import { checkGroupCommitOption, groupCommitSettings } from '../../src/store/sql/group-commit-options.js';
import { storedRecord } from '../../src/store/sql/append-rules.js';

const batch = (aggregateId: string): AppendBatch => ({
  aggregateId,
  aggregateType: 'T',
  expectedVersion: 'any',
  events: [{ eventId: randomUUID(), eventType: 'E', schemaVersion: 1, timestamp: new Date(), metadata: '{}', data: '{}' }],
});

/** A writer that records each group, and answers once `release()` is called (or at once). */
function writer(options: { hold?: boolean; fail?: (b: AppendBatch) => unknown } = {}) {
  const groups: string[][] = [];
  const pending: (() => void)[] = [];
  let position = 0n;
  const write = async (batches: readonly AppendBatch[]): Promise<GroupOutcome[]> => {
    groups.push(batches.map((b) => b.aggregateId));
    if (options.hold) await new Promise<void>((resolve) => pending.push(resolve));
    return batches.map((b) => {
      const error = options.fail?.(b);
      if (error) return { error };
      return { records: b.events.map((e) => storedRecord(b, e, 1, ++position)) };
    });
  };
  return { groups, write, release: () => pending.splice(0).forEach((resolve) => resolve()) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Lets every held write finish, turn after turn, until all the appends are answered. */
async function drain(w: { release: () => void }, appends: readonly Promise<unknown>[]): Promise<void> {
  let done = false;
  const all = Promise.allSettled(appends).then(() => (done = true));
  while (!done) {
    w.release();
    await settle();
  }
  await all;
}

describe('GroupCommitter', () => {
  it('writes a lone append at once, in a group of its own', async () => {
    const w = writer();
    const committer = new GroupCommitter({ settings: { maxBatch: 8, maxDelayMs: 0 }, write: w.write, distinctStreams: false });
    const appended = committer.append(batch('a'));
    // Called synchronously: a single caller waits for nothing.
    expect(w.groups).toEqual([['a']]);
    expect(await appended).toHaveLength(1);
  });

  it('gathers the appends that arrive while a group is written into the next group, up to maxBatch', async () => {
    const w = writer({ hold: true });
    const committer = new GroupCommitter({ settings: { maxBatch: 3, maxDelayMs: 0 }, write: w.write, distinctStreams: false });
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => committer.append(batch(id)));
    expect(w.groups).toEqual([['a']]);
    await drain(w, all);
    expect(w.groups).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f']]);
    await committer.idle();
  });

  it('answers each caller with its own outcome, and fails every caller of a group whose write failed', async () => {
    const conflict = new ConcurrencyError('b', 0, 1);
    const w = writer({ hold: true, fail: (b) => (b.aggregateId === 'b' ? conflict : undefined) });
    const committer = new GroupCommitter({ settings: { maxBatch: 10, maxDelayMs: 0 }, write: w.write, distinctStreams: false });
    const appends = ['a', 'b', 'c'].map((id) => committer.append(batch(id)));
    await drain(w, appends);
    const [a, b, c] = await Promise.allSettled(appends);
    expect(a?.status).toBe('fulfilled');
    expect(b).toMatchObject({ status: 'rejected', reason: conflict });
    expect(c?.status).toBe('fulfilled');

    const lost = new ConnectionError('the commit failed');
    const failing = new GroupCommitter({
      settings: { maxBatch: 10, maxDelayMs: 0 },
      write: () => Promise.reject(lost),
      distinctStreams: false,
    });
    const outcomes = await Promise.allSettled(['x', 'y'].map((id) => failing.append(batch(id))));
    expect(outcomes).toEqual([
      { status: 'rejected', reason: lost },
      { status: 'rejected', reason: lost },
    ]);
  });

  it('keeps two batches of one stream, or one event id, out of one group when asked, in arrival order', async () => {
    const w = writer({ hold: true });
    const committer = new GroupCommitter({ settings: { maxBatch: 10, maxDelayMs: 0 }, write: w.write, distinctStreams: true });
    const shared = batch('p');
    const all = [
      committer.append(batch('lead')),
      committer.append(batch('s')),
      committer.append(batch('s')),
      committer.append(batch('t')),
      committer.append(batch('s')),
      committer.append(shared),
      committer.append({ ...batch('q'), events: shared.events }),
      committer.append(batch('q')),
    ];
    await drain(w, all);
    expect(w.groups).toEqual([['lead'], ['s', 't', 'p'], ['s', 'q'], ['s', 'q']]);
  });

  it('with maxDelayMs, a leader waits for company (woken early once maxBatch appends queued)', async () => {
    const w = writer();
    const committer = new GroupCommitter({ settings: { maxBatch: 3, maxDelayMs: 60_000 }, write: w.write, distinctStreams: false });
    const all = ['a', 'b', 'c'].map((id) => committer.append(batch(id)));
    expect(w.groups).toEqual([]);
    await Promise.all(all);
    expect(w.groups).toEqual([['a', 'b', 'c']]);
  });

  it('writes up to `lanes` groups at once', async () => {
    const w = writer({ hold: true });
    const committer = new GroupCommitter({ settings: { maxBatch: 10, maxDelayMs: 0 }, write: w.write, distinctStreams: false, lanes: 2 });
    const all = ['a', 'b', 'c', 'd'].map((id) => committer.append(batch(id)));
    expect(w.groups).toEqual([['a'], ['b']]);
    await drain(w, all);
    expect(w.groups.slice(2).flat().sort()).toEqual(['c', 'd']);
    let idle = false;
    void committer.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(true);
  });
});

describe('groupCommit option', () => {
  it('refuses bad values with INVALID_ARGUMENT', () => {
    const bad: unknown[] = [true, null, 1, 'on', [], { maxBatch: 0 }, { maxBatch: 1.5 }, { maxBatch: '8' }, { maxBatch: 10_001 },
      { maxDelayMs: -1 }, { maxDelayMs: 0.5 }, { maxDelayMs: Number.POSITIVE_INFINITY }, { maxbatch: 8 }];
    for (const value of bad) {
      expect(() => checkGroupCommitOption(value), JSON.stringify(value)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('resolves the defaults, and false or the adapter default off to none', () => {
    expect(groupCommitSettings(undefined, true)).toEqual({ maxBatch: 128, maxDelayMs: 0 });
    expect(groupCommitSettings({ maxBatch: 8 }, false)).toEqual({ maxBatch: 8, maxDelayMs: 0 });
    expect(groupCommitSettings(false, true)).toBeNull();
    expect(groupCommitSettings(undefined, false)).toBeNull();
  });
});

export type { EventRecord };
