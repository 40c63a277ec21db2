import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineProjection, EventStore } from '../../../src/index.js';
import { Pinged, ping, streamId, until, type StoreTarget } from './fixtures.js';

/** A projection counting Pinged events per stream in a table of the store's database. */
export function pingCounter(target: StoreTarget, table: string, options: { failOnce?: number } = {}) {
  let failed = false;
  return defineProjection({
    name: `counter-${table}`,
    events: [Pinged],
    setup: ({ query }) =>
      query(`CREATE TABLE IF NOT EXISTS ${table} (event_id TEXT PRIMARY KEY, stream TEXT NOT NULL, n INTEGER NOT NULL)`),
    reset: ({ query }) => query(`DELETE FROM ${table}`),
    handlers: {
      Pinged: async (event, { query }) => {
        if (options.failOnce === event.data.n && !failed) {
          failed = true;
          throw new Error('fails once');
        }
        // A plain INSERT: applying an event twice would violate the key and fail the test.
        await query(target.sql(`INSERT INTO ${table} (event_id, stream, n) VALUES (?, ?, ?)`), [
          event.eventId,
          event.aggregateId,
          event.data.n,
        ]);
      },
    },
  });
}

export async function countRows(store: EventStore, target: StoreTarget, table: string): Promise<number> {
  return store.transaction(async (tx) => {
    const rows = await tx.query<{ c: number | string }>(`SELECT count(*) AS c FROM ${table}`);
    return Number(rows[0]!.c);
  });
}

export function describeProjections(makeTarget: () => StoreTarget): void {
  const target = makeTarget();
  describe(`projections: ${target.name}`, () => {
    const stores: EventStore[] = [];
    const open = async () => {
      const store = await target.open();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
    });
    afterAll(() => target.cleanup());
    const table = () => `t_${streamId().replace(/-/g, '_').slice(0, 30)}`;

    it('writes the read model and the checkpoint together, retrying a failed batch event by event', async () => {
      const store = await open();
      const name = table();
      await ping(store, 30);
      const runner = store.projection(pingCounter(target, name, { failOnce: 7 }), { batchSize: 10, retry: { backoffMs: 1 } });
      const errors: Error[] = [];
      runner.on('error', (e) => errors.push(e));
      await runner.start();
      await runner.waitUntilCaughtUp();
      const total = (await store.readAll({ limit: 100_000, eventTypes: ['Pinged'] })).length;
      expect(await countRows(store, target, name)).toBe(total);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(await runner.listDeadLetters()).toEqual([]);
    });

    it('rebuild() empties the read model and replays every event', async () => {
      const store = await open();
      const name = table();
      await ping(store, 5);
      const runner = store.projection(pingCounter(target, name));
      await runner.start();
      await runner.waitUntilCaughtUp();
      const before = await countRows(store, target, name);
      await runner.rebuild();
      await runner.waitUntilCaughtUp();
      expect(await countRows(store, target, name)).toBe(before);
      expect(runner.position).toBe(await store.getGlobalPosition());
    });

    it('applies each event once when the projecting process is killed mid-batch', async () => {
      const store = await open();
      const name = table();
      const stream = streamId();
      for (let i = 0; i < 10; i++) await ping(store, 50, stream);
      const child = fork(fileURLToPath(new URL('./projection-child.ts', import.meta.url)), [target.url(), name], {
        execArgv: ['--import', 'tsx'],
        stdio: 'pipe',
      });
      let progress = 0;
      child.on('message', (m) => (progress = Number(m)));
      await until(() => progress >= 120, 60_000);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const runner = store.projection(pingCounter(target, name), { leaseTtlMs: 500 });
      await runner.start();
      await until(() => runner.isActive, 10_000);
      await runner.waitUntilCaughtUp();
      const total = (await store.readAll({ limit: 100_000, eventTypes: ['Pinged'] })).length;
      expect(await countRows(store, target, name)).toBe(total);
    });

    it('runs an inline projection inside the append transaction', async () => {
      const store = await open();
      const name = table();
      store.addInlineProjection(pingCounter(target, name));
      const stream = streamId();
      await ping(store, 3, stream);
      expect(await countRows(store, target, name)).toBe(3);
      const failing = store.append('Pinger', stream, 0, [Pinged.create({ n: 9 })]);
      await expect(failing).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
      expect(await countRows(store, target, name)).toBe(3);
    });

    it('runs transaction() right after addInlineProjection() only once the setup created its table', async () => {
      const store = await open();
      const name = table();
      store.addInlineProjection(pingCounter(target, name));
      const stream = streamId();
      await store.transaction((tx) => tx.append('Pinger', stream, 'no-stream', [Pinged.create({ n: 1 })]));
      expect(await countRows(store, target, name)).toBe(1);
    });

    it('reports a setup whose SQL fails as a warning, not an unhandled rejection, and rejects the next writes with its error', async () => {
      const warnings: unknown[] = [];
      const store = await EventStore.create(target.url(), { onWarning: (_message, error) => warnings.push(error) });
      stores.push(store);
      store.addInlineProjection(
        defineProjection({
          name: `broken-${table()}`,
          events: [Pinged],
          setup: ({ query }) => query('CREATE TABLEX broken (id TEXT)'),
          handlers: { Pinged: () => undefined },
        }),
      );
      // The setup fails with no write waiting for it: nothing may crash the process meanwhile.
      await until(() => warnings.length > 0);
      const stream = streamId();
      const first = await store.append('Pinger', stream, 'no-stream', [Pinged.create({ n: 1 })]).catch((e: unknown) => e);
      expect(first).toBe(warnings[0]);
      expect(String(first)).toMatch(/syntax|TABLEX/i);
      await expect(store.transaction((tx) => tx.append('Pinger', stream, 'no-stream', [Pinged.create({ n: 2 })]))).rejects.toBe(first);
      expect(await store.getAggregateVersion(stream)).toBe(0);
    });
  });
}
