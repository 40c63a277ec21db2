/**
 * Emmett's SQLite event store (`@event-driven-io/emmett-sqlite`, bench-only dependency in
 * bench/package.json) in the peer comparison, used as its README shows:
 *   getSQLiteEventStore({ fileName, schema: { autoMigration: 'CreateOrUpdate' } })
 *   appendToStream(name, events, { expectedStreamVersion }), readStream(name),
 *   aggregateStream(name, { evolve, initialState }), consumer({ pulling }).processor({ eachMessage }).
 * Reading the whole log uses the package's exported `readMessagesBatch` (what its consumer pages
 * with) on one `sqliteConnection`: the store object has no read-all method.
 *
 * Durability: Emmett opens every connection with `PRAGMA journal_mode = WAL` and leaves
 * `synchronous` at SQLite's default, FULL (sqlite3 5.1.7 bundles SQLite 3.44.2 without a
 * SQLITE_DEFAULT_*SYNCHRONOUS define); `durability()` reads both back. Its pool opens a new
 * sqlite3 connection for each call on a file database and closes it after: that is part of
 * what is measured, as a user following the README gets it.
 *
 * Not in the main typecheck (tsconfig.json excludes bench/contenders/emmett-*.ts): it imports
 * bench/node_modules, which `npm ci` does not install. bench/workloads/peers/comparison.ts loads it
 * by a computed dynamic import after bench/lib/ensure-bench-deps.ts has installed it.
 */
import { getSQLiteEventStore, readMessagesBatch, sqliteConnection } from '@event-driven-io/emmett-sqlite';
import type { Contender, ContenderFactory } from './contender.js';
import { pulling, readAllWith, runConsumer, streamMethods, type AccountEvent } from './emmett-streams.js';

/** `journal_mode` and `synchronous` of a connection opened the way Emmett opens them. */
export async function durability(fileName: string): Promise<string> {
  const connection = sqliteConnection({ fileName });
  try {
    const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const sync = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
    return `journal_mode=${journal?.journal_mode ?? '?'}, synchronous=${names[sync?.synchronous ?? -1] ?? '?'}`;
  } finally {
    connection.close();
  }
}

export const openEmmettSqlite: ContenderFactory = async (location) => {
  if (location.kind !== 'sqlite') throw new Error('emmett-sqlite runs on SQLite locations only');
  const fileName = location.filename;
  const store = getSQLiteEventStore({ fileName, schema: { autoMigration: 'CreateOrUpdate' } });
  await store.schema.migrate();
  const setting = await durability(fileName);
  if (!setting.includes(`synchronous=${location.synchronous.toUpperCase()}`)) {
    throw new Error(`Emmett's connections run at ${setting}, the location asks for synchronous=${location.synchronous.toUpperCase()}`);
  }

  // Emmett's SQLite transactions console.log every error they rethrow (SQLITE_BUSY with 8 callers,
  // hundreds of lines): the bench counts those failures itself, so they are kept out of its output.
  const log = console.log;
  console.log = (...args: unknown[]) => {
    const code = (args[0] as { code?: unknown } | null)?.code;
    if (args.length === 1 && typeof code === 'string' && code.startsWith('SQLITE_')) return;
    log(...args);
  };

  const contender: Contender = {
    name: 'emmett',
    ...streamMethods(store),
    readAll: readAllWith(() => {
      const connection = sqliteConnection({ fileName });
      return { read: (after, batchSize) => readMessagesBatch<AccountEvent>(connection, { after, batchSize }), close: () => connection.close() };
    }),
    async catchUp(consumerId, total, batchSize) {
      let seen = 0;
      const consumer = store.consumer<AccountEvent>({ pulling: pulling(batchSize) });
      consumer.processor({
        processorId: consumerId,
        startFrom: 'BEGINNING',
        eachMessage: () => void seen++,
        stopAfter: () => seen >= total,
      });
      return runConsumer(consumer, () => seen, total);
    },
    close: async () => {
      console.log = log;
    },
  };
  return contender;
};
