import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { killAll } from './child.js';
import { tempDir, type TargetKind } from './targets.js';

/**
 * The stores a test file's child processes share: a SQLite file and a PostgreSQL database, made
 * before the file's tests and removed after them, once every child is killed.
 */
export function childTargets(name: string): { kind: TargetKind; url: () => string }[] {
  let db: TestDatabase | undefined;
  const temp = tempDir(name);
  beforeAll(async () => {
    db = await createTestDatabase(`torture_${name.replace(/-/g, '_')}`);
  });
  afterAll(async () => {
    await killAll();
    await db?.drop();
    temp.remove();
  });
  return [
    { kind: 'sqlite-file', url: () => `sqlite://${join(temp.dir, 'events.db')}` },
    { kind: 'postgres', url: () => db!.url },
  ];
}
