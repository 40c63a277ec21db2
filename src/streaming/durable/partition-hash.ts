import type { PartitionGate } from './partition-gate.js';

/** One partition of a consumer group: the `index`-th of `count`. */
export interface PartitionSlice {
  index: number;
  count: number;
  /** Shared by one instance's partitions when it handles only some of them at a time (`partitionConcurrency`). */
  gate?: PartitionGate;
}

/**
 * Which partition of a consumer group an event belongs to: FNV-1a (32-bit) over the UTF-8 bytes of
 * its aggregate id, modulo the group's partition count. Computed in JavaScript by every instance
 * after it reads a page, so it is the same in every process and on every adapter (no database
 * hash function is involved), and one aggregate's events always fall in one partition.
 *
 * @example
 * partitionOf('order-42', 8); // 0..7, the same in every process, forever
 */
export function partitionOf(aggregateId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(aggregateId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

const encoder = new TextEncoder();
