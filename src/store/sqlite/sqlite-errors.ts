import { ConnectionError } from '../../core/errors.js';

/** The driver error's code (better-sqlite3's SqliteError carries SQLITE_… codes). */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Maps the errors the library knows the meaning of; returns others unchanged. */
export function classifySqliteError(error: unknown): unknown {
  const code = sqliteCode(error);
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return new ConnectionError('The SQLite database stayed locked by another connection past the busy timeout', {
      cause: error,
    });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR' || code?.startsWith('SQLITE_IOERR_')) {
    return new ConnectionError(`The SQLite database file could not be used (${code})`, { cause: error });
  }
  return error;
}
