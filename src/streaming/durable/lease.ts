import type { SubscriptionStorage } from '../../store/coordination.js';
import { toError } from './subscription-errors.js';

/**
 * A named lease held in the store and renewed every third of its time to live, so another
 * process can take over once this one stops renewing (dies, hangs, loses the database). The
 * renewal never waits longer than a Node.js timer can (2^31-1 ms), whatever the time to live.
 * @internal
 */
export class Lease {
  #held = false;
  #timer: NodeJS.Timeout | undefined;
  /** When the lease runs out unless renewed (performance.now()): its time to live from the start of the last successful take. */
  #validUntil = 0;

  constructor(
    private readonly storage: Pick<SubscriptionStorage, 'acquireLease' | 'releaseLease'>,
    readonly name: string,
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly on: { lost(): void; error(error: Error): void },
  ) {}

  get held(): boolean {
    return this.#held;
  }

  /**
   * Held, and renewed within its time to live by this process's clock: false as soon as another
   * instance may have taken it, even before a late renewal finds out (a busy event loop delays it).
   */
  get valid(): boolean {
    return this.#held && performance.now() < this.#validUntil;
  }

  /** Takes (or renews) the lease; true when held. Starts renewing when newly taken. Never throws. */
  async take(): Promise<boolean> {
    try {
      const asked = performance.now();
      const held = await this.storage.acquireLease(this.name, this.owner, this.ttlMs);
      if (held) this.#validUntil = asked + this.ttlMs;
      if (held && !this.#held) {
        this.#held = true;
        this.#timer = setInterval(() => void this.#renew(), Math.max(20, Math.floor(this.ttlMs / 3)));
        this.#timer.unref();
      }
      return held;
    } catch (error) {
      this.on.error(toError(error));
      return false;
    }
  }

  /** Stops counting on the lease here (it was lost, or is being given up); true when it was held. */
  drop(): boolean {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const was = this.#held;
    this.#held = false;
    return was;
  }

  /** Drops the lease and deletes it in the store, so another instance can take it at once. */
  async release(): Promise<void> {
    if (!this.drop()) return;
    try {
      await this.storage.releaseLease(this.name, this.owner);
    } catch (error) {
      this.on.error(toError(error));
    }
  }

  async #renew(): Promise<void> {
    try {
      const asked = performance.now();
      const held = await this.storage.acquireLease(this.name, this.owner, this.ttlMs);
      if (held) this.#validUntil = asked + this.ttlMs;
      if (!held && this.drop()) this.on.lost();
    } catch (error) {
      this.on.error(toError(error));
    }
  }
}
