import type { SnapshotRecord } from '../snapshots.js';
import { snapshotValues, toSnapshotRecord } from '../sql/snapshot-row.js';
import type { SqliteStatements } from './sqlite-statements.js';

export function loadSnapshot(statements: SqliteStatements, aggregateId: string, snapshotVersion: number): SnapshotRecord | null {
  return toSnapshotRecord(statements.loadSnapshot.get(aggregateId, snapshotVersion));
}

/** Upserts the snapshot, keeping the one of the newest aggregate version. */
export function saveSnapshot(statements: SqliteStatements, snapshot: SnapshotRecord): void {
  statements.saveSnapshot.run(...snapshotValues(snapshot));
}
