import Database from 'better-sqlite3';
import { configureSqlite, createSqliteAdapter } from '../../src/sqlite.js';
import * as vitest from 'vitest';
import { describeEventStoreContract } from '../../src/testing.js';

describeEventStoreContract('SQLite in memory', () => {
  const db = new Database(':memory:');
  configureSqlite(db);
  return createSqliteAdapter(db, { closeDatabase: true });
}, vitest);
