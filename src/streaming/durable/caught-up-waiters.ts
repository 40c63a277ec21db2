interface Waiter {
  afterCycle: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The callers of `waitUntilCaughtUp()`: each is resolved by the first caught-up read cycle that
 * began after it asked, or rejected by its timeout or the subscription's end.
 * @internal
 */
export class CaughtUpWaiters {
  #waiters: Waiter[] = [];

  get size(): number {
    return this.#waiters.length;
  }

  /** Waits for a caught-up cycle after `afterCycle`; rejects with `timedOut()` after `timeoutMs`. */
  add(afterCycle: number, timeoutMs: number, timedOut: () => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        afterCycle,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(timedOut());
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Read cycle `cycle` found the subscription caught up. */
  caughtUp(cycle: number): void {
    if (this.#waiters.length === 0) return;
    const remaining: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (cycle > waiter.afterCycle) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else {
        remaining.push(waiter);
      }
    }
    this.#waiters = remaining;
  }

  rejectAll(error: Error): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
