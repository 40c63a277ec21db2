/**
 * While events keep coming (catching up, or a busy live stream), a subscription's checkpoint is
 * stored at most this often rather than after every batch: at-least-once allows delivering again
 * what a crash loses, and a commit per batch (an fsync) cost more than reading the batch.
 */
export const CHECKPOINT_EVERY_MS = 250;

/**
 * Stores one subscription's checkpoint under its lease: at most every CHECKPOINT_EVERY_MS, in the
 * background (reading and delivering go on while it commits), one write at a time, each for the
 * position handled when it starts. A write's failure is raised by the next call of `throwFailure()`.
 * @internal
 */
export class CheckpointWriter {
  /** Stored under the current lease; null until loaded or first written. */
  #stored: bigint | null = null;
  #storedAt = 0;
  #writing: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  /** `write` stores the position, throwing (LeaseLostError) when this instance no longer holds the lease. */
  constructor(private readonly write: (position: bigint) => Promise<void>) {}

  /** Under a new lease: waits for a write of the last one still in flight, and forgets its state. */
  async restart(): Promise<void> {
    await this.#writing;
    this.#stored = null;
    this.#failure = undefined;
  }

  /** Records a position stored by someone else (loaded, or written in a projection's transaction). */
  stored(position: bigint): void {
    this.#stored = position;
    this.#storedAt = performance.now();
  }

  /** True when `position` is not stored yet (nor being stored). Never before a first stored position. */
  behind(position: bigint): boolean {
    return this.#stored !== null && this.#stored !== position;
  }

  /** Milliseconds until a coalesced write is due (0 when it is). */
  dueInMs(): number {
    return Math.max(0, CHECKPOINT_EVERY_MS - (performance.now() - this.#storedAt));
  }

  /** Starts storing `position` in the background when a write is due and none is in flight. */
  writeSoon(position: bigint): void {
    if (this.#writing || !this.behind(position) || this.dueInMs() > 0) return;
    this.#writing = (async () => {
      try {
        await this.#write(position);
      } catch (error) {
        this.#failure = { error };
      } finally {
        this.#writing = undefined;
      }
    })();
  }

  /**
   * Stores `position` now (after the write in flight), when it is not stored yet. An earlier
   * background failure is dropped: this write meets the same cause (a lost lease, no connection) if
   * it persists.
   */
  async writeNow(position: bigint): Promise<void> {
    await this.#writing;
    this.#failure = undefined;
    if (this.behind(position)) await this.#write(position);
  }

  /** Throws (once) what made the last background write fail. */
  throwFailure(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure.error;
  }

  async #write(position: bigint): Promise<void> {
    const started = performance.now();
    await this.write(position);
    this.#stored = position;
    this.#storedAt = started;
  }
}
