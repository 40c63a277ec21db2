import type { SnapshotRecord } from '../snapshots.js';
import { ROW_TYPES, type PostgresStatements } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

interface SnapshotRow {
  aggregate_id: string;
  aggregate_type: string;
  aggregate_version: number;
  snapshot_version: number;
  state: string;
}

export async function loadSnapshot(
  db: PostgresQueryable,
  statements: PostgresStatements,
  aggregateId: string,
  snapshotVersion: number,
): Promise<SnapshotRecord | null> {
  const { rows } = await db.query<SnapshotRow>({
    name: statements.loadSnapshot.name,
    text: statements.loadSnapshot.text,
    values: [aggregateId, snapshotVersion],
    types: ROW_TYPES,
  });
  const row = rows[0];
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

/** Upserts the snapshot, keeping the one of the newest aggregate version. */
export async function saveSnapshot(db: PostgresQueryable, statements: PostgresStatements, snapshot: SnapshotRecord): Promise<void> {
  await db.query({
    name: statements.saveSnapshot.name,
    text: statements.saveSnapshot.text,
    values: [snapshot.aggregateId, snapshot.snapshotVersion, snapshot.aggregateVersion, snapshot.aggregateType, snapshot.state],
  });
}
