import type { StorageAdapter } from '../store/adapter.js';
import { MemoryAdapter } from '../store/memory/memory-adapter.js';
import type { CreateStoreOptions } from './store-options.js';
import { parseStoreUrl } from './store-url.js';

/** Opens the adapter a URL names; the SQL adapters (and their drivers) load only when asked for. */
export async function openAdapter(url: string, options: CreateStoreOptions): Promise<StorageAdapter> {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'memory':
      return new MemoryAdapter();
    case 'sqlite': {
      const { openSqliteAdapter } = await import('../store/sqlite/open-sqlite-adapter.js');
      return openSqliteAdapter(location.filename, options);
    }
    case 'postgres': {
      const { openPostgresAdapter } = await import('../store/postgres/open-postgres-adapter.js');
      return openPostgresAdapter(location.connectionString, options);
    }
  }
}
