import type { StreamedEvent } from './streamed-event.js';

/**
 * @internal A promise that every `publishEvent()` which needed no waiting hands back.
 *
 * Sharing one settled promise keeps the fast path (no buffer full) free of allocations.
 */
export const RESOLVED: Promise<void> = Promise.resolve();

/**
 * @internal One blocked `publishEvent()` call: the item it could not place, and a countdown of
 * the subscriptions still holding it back.
 *
 * One waiter is shared by every full subscription of a publish, so a fan-out to many slow
 * subscriptions costs one promise, not one per subscription.
 */
export class PublishWaiter {
  private remaining = 0;
  private resolve: (() => void) | undefined;

  constructor(readonly item: StreamedEvent) {}

  /** A subscription took the item into its queue of items waiting for room. */
  hold(): void {
    this.remaining++;
  }

  /** A subscription buffered the item or no longer wants it (closed). */
  release(): void {
    this.remaining--;
    if (this.remaining === 0 && this.resolve !== undefined) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve();
    }
  }

  /** The promise the publisher awaits; already settled when every hold was released. */
  settled(): Promise<void> {
    if (this.remaining === 0) return RESOLVED;
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }
}
