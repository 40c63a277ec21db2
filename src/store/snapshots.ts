/** The snapshot part of the storage port: a cache of aggregate state, never the source of truth. */

export interface SnapshotRecord {
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  snapshotVersion: number;
  /** JSON text. */
  state: string;
}

export interface SnapshotStorage {
  /** Newest snapshot of the aggregate taken with `snapshotVersion`, or null. */
  loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null>;
  saveSnapshot(snapshot: SnapshotRecord): Promise<void>;
}
