import type { SnapshotRecord } from '../snapshots.js';
import { snapshotValues, toSnapshotRecord, type SnapshotRow } from '../sql/snapshot-row.js';
import { ROW_TYPES, type PostgresStatements } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

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
  return toSnapshotRecord(rows[0]);
}

/** Upserts the snapshot, keeping the one of the newest aggregate version. */
export async function saveSnapshot(db: PostgresQueryable, statements: PostgresStatements, snapshot: SnapshotRecord): Promise<void> {
  await db.query({ name: statements.saveSnapshot.name, text: statements.saveSnapshot.text, values: snapshotValues(snapshot) });
}
