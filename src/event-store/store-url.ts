import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';

export type StoreLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; filename: string }
  | { kind: 'postgres'; connectionString: string };

/**
 * Reads a store URL: `memory:`, `sqlite::memory:`, `sqlite://relative.db`, `sqlite:///abs/path.db`,
 * `postgresql://…` or `postgres://…`. The error never repeats the URL (it may hold a password).
 */
export function parseStoreUrl(url: unknown): StoreLocation {
  if (typeof url !== 'string' || url.length === 0) {
    throw new InvalidArgumentError('store URL', 'must be a non-empty string');
  }
  if (url === 'memory:' || url === 'memory://') return { kind: 'memory' };
  if (url === 'sqlite::memory:' || url === 'sqlite://:memory:') return { kind: 'sqlite', filename: ':memory:' };
  if (url.startsWith('sqlite://')) {
    let path: string;
    try {
      path = decodeURIComponent(url.slice('sqlite://'.length));
    } catch {
      throw new InvalidArgumentError('store URL', 'the sqlite file path has malformed percent-encoding');
    }
    if (path.length === 0) throw new InvalidArgumentError('store URL', 'sqlite:// needs a file path');
    if (path.includes('\u0000')) throw new InvalidArgumentError('store URL', 'the file path holds a NUL character');
    return { kind: 'sqlite', filename: isAbsolute(path) ? path : resolve(path) };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    try {
      new URL(url);
    } catch {
      throw new InvalidArgumentError('store URL', 'the PostgreSQL URL does not parse');
    }
    return { kind: 'postgres', connectionString: url };
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new InvalidArgumentError(
    'store URL',
    `unknown scheme ${JSON.stringify(scheme)}; use memory:, sqlite::memory:, sqlite://path or postgresql://…`,
  );
}
