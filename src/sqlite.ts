export { SqliteAdapter, createSqliteAdapter } from './store/sqlite/sqlite-adapter.js';
export type { SqliteAdapterOptions } from './store/sqlite/sqlite-adapter.js';
export { configureSqlite, openSqliteAdapter } from './store/sqlite/open-sqlite-adapter.js';
export type { SqliteDatabase, SqliteStatement } from './store/sqlite/sqlite-types.js';
export type { SqliteStoreOptions } from './store/sqlite/sqlite-options.js';
