import type { SnapshotRecord } from '../snapshots.js';

/** A snapshot row as both SQL adapters select it. */
export interface SnapshotRow {
  aggregate_id: string;
  aggregate_type: string;
  aggregate_version: number;
  snapshot_version: number;
  state: string;
}

export function toSnapshotRecord(row: SnapshotRow | undefined): SnapshotRecord | null {
  return row
    ? {
        aggregateId: row.aggregate_id,
        aggregateType: row.aggregate_type,
        aggregateVersion: row.aggregate_version,
        snapshotVersion: row.snapshot_version,
        state: row.state,
      }
    : null;
}

/** The upsert's values, in the column order both adapters' statements name. */
export function snapshotValues(s: SnapshotRecord): [string, number, number, string, string] {
  return [s.aggregateId, s.snapshotVersion, s.aggregateVersion, s.aggregateType, s.state];
}
