/** A schema migration a store lacks, as `eventuali migrate --print` shows it (the SQL it would run). */
export interface PendingMigration {
  version: number;
  name: string;
  sql: string;
}
