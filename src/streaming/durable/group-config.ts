import type { StorageAdapter } from '../../store/adapter.js';
import type { SubscriptionStart } from './subscription-options.js';
import { GroupPartitionsChangedError, SubscriptionError } from './subscription-errors.js';

/** The checkpoint id of a consumer group's partition `index`: its lease, checkpoint and dead letters go by it. */
export function partitionId(groupId: string, index: number): string {
  return `${groupId}#p${index}`;
}

/** Where a group keeps its partition count: a checkpoint row whose position is the count. */
function countId(groupId: string): string {
  return `${groupId}#partitions`;
}

/** How often and how long a starting instance waits for another one that is setting the group up. */
const SETUP_POLL_MS = 50;
const SETUP_ATTEMPTS = 600;

/**
 * Checks (or, on the group's first start, stores) its partition count before anything else is
 * written. A count other than the stored one throws `GroupPartitionsChangedError`, with nothing
 * written. On the first start, under a lease so that two instances do not both set it up, every
 * partition's checkpoint is stored at one position: where a plain subscription with this id
 * stopped (the way from one instance to a group), else `from` ('end' read once, so no partition
 * misses the events another one skipped). The count is stored last: an instance that died midway
 * leaves a setup the next one completes.
 * @internal
 */
export async function prepareGroup(adapter: StorageAdapter, groupId: string, partitions: number, from: SubscriptionStart, owner: string, leaseTtlMs: number): Promise<void> {
  if (await checkCount(adapter, groupId, partitions)) return;
  const lease = `group-setup:${groupId}`;
  for (let attempt = 0; !(await adapter.acquireLease(lease, owner, leaseTtlMs)); attempt++) {
    if (attempt >= SETUP_ATTEMPTS) throw new SubscriptionError(groupId, 'another instance kept setting this consumer group up');
    await new Promise((resolve) => setTimeout(resolve, SETUP_POLL_MS));
    if (await checkCount(adapter, groupId, partitions)) return;
  }
  try {
    if (await checkCount(adapter, groupId, partitions)) return;
    const plain = await adapter.loadCheckpoint(groupId);
    const start = plain ?? (from === 'start' ? 0n : from === 'end' ? await adapter.globalPosition() : from);
    for (let index = 0; index < partitions; index++) {
      const id = partitionId(groupId, index);
      if ((await adapter.loadCheckpoint(id)) === null) await adapter.saveCheckpoint(id, start);
    }
    await adapter.saveCheckpoint(countId(groupId), BigInt(partitions));
  } finally {
    await adapter.releaseLease(lease, owner);
  }
}

/** True when the group is set up with this count; throws when it is set up with another. */
async function checkCount(adapter: StorageAdapter, groupId: string, partitions: number): Promise<boolean> {
  const stored = await adapter.loadCheckpoint(countId(groupId));
  if (stored === null) return false;
  if (stored !== BigInt(partitions)) throw new GroupPartitionsChangedError(groupId, Number(stored), partitions);
  return true;
}
