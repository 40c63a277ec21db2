import { describe, expect, it } from 'vitest';
import { AsyncLock } from '../../src/store/async-lock.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending microtask and promise continuation run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('AsyncLock', () => {
  it('runs fn at once when free and resolves with its value', async () => {
    const lock = new AsyncLock();
    let called = false;
    const result = lock.run(() => {
      called = true;
      return 42;
    });
    expect(called).toBe(true);
    expect(lock.held).toBe(true);
    await expect(result).resolves.toBe(42);
    expect(lock.held).toBe(false);
  });

  it('waits while held and runs the waiters in FIFO order', async () => {
    const lock = new AsyncLock();
    const gate = deferred();
    const order: string[] = [];
    const first = lock.run(async () => {
      order.push('first:start');
      await gate.promise;
      order.push('first:end');
    });
    const rest = ['a', 'b', 'c', 'd'].map((name) => lock.run(() => void order.push(name)));
    await settle();
    expect(order).toEqual(['first:start']);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['first:start', 'first:end', 'a', 'b', 'c', 'd']);
    expect(lock.held).toBe(false);
  });

  it('serves a caller that arrives during a hand-over after the ones already waiting', async () => {
    const lock = new AsyncLock();
    const gate = deferred();
    const order: string[] = [];
    const first = lock.run(() => gate.promise);
    const second = lock.run(() => {
      order.push('second');
    });
    // Runs right after `first` releases and before `second` resumes: the lock must still be held.
    const late = gate.promise.then(() =>
      lock.run(() => {
        order.push('late');
      }),
    );
    gate.resolve();
    await Promise.all([first, second, late]);
    expect(order).toEqual(['second', 'late']);
  });

  it('never lets two holders overlap across awaits', async () => {
    const lock = new AsyncLock();
    let active = 0;
    let maxActive = 0;
    const log: number[] = [];
    const tasks = Array.from({ length: 25 }, (_, i) =>
      lock.run(async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        for (let step = 0; step < (i % 4) + 1; step++) await Promise.resolve();
        log.push(i);
        active -= 1;
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(maxActive).toBe(1);
    expect(log).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('releases the lock after fn throws or rejects, passing the error to the caller', async () => {
    const lock = new AsyncLock();
    const syncError = new Error('sync boom');
    const asyncError = new Error('async boom');
    const failingSync = lock.run(() => {
      throw syncError;
    });
    const failingAsync = lock.run(async () => {
      await Promise.resolve();
      throw asyncError;
    });
    const after = lock.run(() => 'still works');
    await expect(failingSync).rejects.toBe(syncError);
    await expect(failingAsync).rejects.toBe(asyncError);
    await expect(after).resolves.toBe('still works');
    expect(lock.held).toBe(false);
    await expect(lock.run(() => 'again')).resolves.toBe('again');
  });
});
