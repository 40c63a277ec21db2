/**
 * @internal A FIFO queue over a circular array.
 *
 * `Array.prototype.shift()` is O(n), which a hot publish/consume loop cannot afford; this queue
 * is O(1) both ends. It starts small and doubles as needed, so a subscription with a large
 * capacity that never fills does not pay for it up front. The queue does not enforce a limit:
 * callers check `size` against their own capacity.
 */
export class RingBuffer<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initialSize = 16) {
    this.items = new Array<T | undefined>(Math.max(1, initialSize));
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    const length = this.items.length;
    let tail = this.head + this.count;
    if (tail >= length) tail -= length;
    this.items[tail] = item;
    this.count++;
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    // Clear the slot so a consumed event can be garbage-collected while the buffer lives on.
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) this.head = 0;
    this.count--;
    return item;
  }

  /** Removes every item and returns how many there were. */
  clear(): number {
    const removed = this.count;
    this.items = new Array<T | undefined>(Math.min(this.items.length, 16));
    this.head = 0;
    this.count = 0;
    return removed;
  }

  /** Removes every item, oldest first, handing each to `visit`. */
  drain(visit: (item: T) => void): void {
    while (this.count > 0) visit(this.shift() as T);
  }

  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.count; i++) {
      let index = this.head + i;
      if (index >= old.length) index -= old.length;
      next[i] = old[index];
    }
    this.items = next;
    this.head = 0;
  }
}
