import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../scripts/embedded-postgres.js';

/** A PostgreSQL server of a test file's own, which the test may stop and start again. */
export type RestartablePostgres = EmbeddedPostgres;

/** Starts a throwaway server whose data survives `stop()`; `destroy()` deletes it. */
export function startRestartablePostgres(): Promise<RestartablePostgres> {
  return startEmbeddedPostgres({
    dirPrefix: 'eventuali-pg-restart-',
    restartable: true,
    settings: { max_connections: '100', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
}
