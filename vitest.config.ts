import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or reuses via DATABASE_URL) one PostgreSQL server for the whole run.
    globalSetup: ['test/setup/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    // Vitest's default is cores - 1 (= 1 on a 2-core box, i.e. serial); DB tests
    // are mostly I/O-bound, so use at least 2 workers.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
