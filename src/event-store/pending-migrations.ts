import type { PendingMigration } from '../store/pending-migration.js';
import { DEFAULT_SCHEMA } from '../store/postgres/postgres-adapter.js';
import { checkIdentifier } from '../core/checks.js';
import { parseStoreUrl } from './store-url.js';

export type { PendingMigration };

/**
 * The schema migrations the store at `url` lacks, without applying them (opening the store with
 * `EventStore.create` applies them). A memory store has none. The driver loads only when asked for.
 */
export async function pendingMigrations(url: string, options: { schema?: string } = {}): Promise<PendingMigration[]> {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'memory':
      return [];
    case 'sqlite': {
      const { pendingSqliteMigrations } = await import('../store/sqlite/sqlite-migration-plan.js');
      return pendingSqliteMigrations(location.filename);
    }
    case 'postgres': {
      const schema = options.schema ?? DEFAULT_SCHEMA;
      checkIdentifier('schema', schema);
      const { pendingPostgresMigrations } = await import('../store/postgres/postgres-migration-plan.js');
      return pendingPostgresMigrations(location.connectionString, schema);
    }
  }
}
