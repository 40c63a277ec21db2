export { PostgresAdapter, createPostgresAdapter } from './store/postgres/postgres-adapter.js';
export type { PostgresAdapterOptions } from './store/postgres/postgres-adapter.js';
export { openPostgresAdapter } from './store/postgres/open-postgres-adapter.js';
export type {
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryConfig,
  PostgresQueryResult,
  PostgresQueryable,
  PostgresTypeParsers,
} from './store/postgres/postgres-types.js';
export type { PostgresStoreOptions } from './store/postgres/postgres-options.js';
