import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the PostgreSQL server shared by all test files. */
    postgresUrl: string;
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env['DATABASE_URL'];
  if (external !== undefined && external !== '') {
    console.log(`[postgres] using DATABASE_URL ${redact(external)}`);
    project.provide('postgresUrl', external);
    return undefined;
  }

  const started = Date.now();
  let server;
  try {
    server = await startEmbeddedPostgres({
      dirPrefix: 'eventuali-pg-',
      settings: {
        max_connections: '300',
        // Throwaway cluster: durability only costs time.
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
      },
    });
  } catch (error) {
    throw new Error(`[postgres] ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(`[postgres] started embedded PostgreSQL on 127.0.0.1:${server.port} (data ${server.databaseDir}) in ${Date.now() - started} ms`);
  project.provide('postgresUrl', server.url);
  return () => server.destroy();
}
