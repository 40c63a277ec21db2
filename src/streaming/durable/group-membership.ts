import type { SubscriptionStorage } from '../../store/coordination.js';
import { Lease } from './lease.js';

/** Which partitions an instance should run, given the live members' slots and its own. */
export function assignedPartitions(liveSlots: readonly number[], mine: number | undefined, partitions: number): number[] {
  const rank = mine === undefined ? -1 : liveSlots.indexOf(mine);
  if (rank < 0) return [];
  const assigned: number[] = [];
  for (let index = rank; index < partitions; index += liveSlots.length) assigned.push(index);
  return assigned;
}

/**
 * An instance's membership of a consumer group: one of `slots` numbered member leases
 * (`group:<id>#m<slot>`), renewed like a subscription's lease. The live members are the slots
 * whose lease is held; every instance reads them, sorts them, and runs the partitions `index`
 * with `index % members === its rank`, so all instances compute the same fair share (the
 * partition count divided by the members, rounded up or down) without talking to each other.
 * An instance that finds every slot taken stays a standby member and tries again.
 * @internal
 */
export class GroupMembership {
  #lease: Lease | undefined;
  #slot: number | undefined;

  constructor(
    private readonly storage: Pick<SubscriptionStorage, 'acquireLease' | 'releaseLease' | 'leaseHolder'>,
    private readonly groupId: string,
    private readonly owner: string,
    private readonly slots: number,
    private readonly ttlMs: number,
    private readonly on: { lost(): void; error(error: Error): void },
  ) {}

  get slot(): number | undefined {
    return this.#slot;
  }

  /** Joins (takes a free slot) when not a member, then reads which slots are live. */
  async view(): Promise<{ live: number[]; mine: number | undefined }> {
    if (this.#lease && !this.#lease.held) this.#lease = this.#slot = undefined;
    if (this.#lease === undefined) await this.#join();
    const live: number[] = [];
    for (let slot = 0; slot < this.slots; slot++) {
      const holder = slot === this.#slot ? this.owner : await this.storage.leaseHolder(this.#name(slot));
      if (holder !== null) live.push(slot);
    }
    return { live, mine: this.#slot };
  }

  /** Gives the slot up, so the others rebalance at once instead of after its time to live. */
  async leave(): Promise<void> {
    const lease = this.#lease;
    this.#lease = this.#slot = undefined;
    await lease?.release();
  }

  async #join(): Promise<void> {
    for (let slot = 0; slot < this.slots; slot++) {
      const lease = new Lease(this.storage, this.#name(slot), this.owner, this.ttlMs, {
        lost: () => {
          if (this.#lease === lease) this.#lease = this.#slot = undefined;
          this.on.lost();
        },
        error: (error) => this.on.error(error),
      });
      if (await lease.take()) {
        this.#lease = lease;
        this.#slot = slot;
        return;
      }
    }
  }

  #name(slot: number): string {
    return `group:${this.groupId}#m${slot}`;
  }
}
