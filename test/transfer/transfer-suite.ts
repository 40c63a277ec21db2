import { describe, expect, it, afterEach } from 'vitest';
import { z } from 'zod';
import {
  defineEvent,
  defineReadModel,
  EventStore,
  exportEvents,
  importEvents,
  type Event,
  type ImportProgress,
} from '../../src/index.js';

export const Opened = defineEvent('TransferOpened', z.object({ owner: z.string(), openedAt: z.date(), limit: z.bigint() }));
export const Deposited = defineEvent('TransferDeposited', z.object({ amount: z.number() }));

export const Balances = defineReadModel({
  name: 'transfer_balances',
  schema: z.object({ total: z.number() }),
  events: [Deposited],
  evolve: (doc, event) => ({ total: (doc?.total ?? 0) + event.data.amount }),
});

/** Opens an empty store (a new file, schema or memory store) with the test's events registered. */
export type OpenEmptyStore = () => Promise<EventStore>;

/** Writes streams through the public API: several aggregates interleaved, Dates, bigints and metadata. */
export async function seed(store: EventStore, streams = 3, perStream = 4): Promise<void> {
  for (let s = 0; s < streams; s++) {
    await store.append('Account', `acc-${s}`, 'no-stream', [
      Opened.create({ owner: `o-${s}`, openedAt: new Date(Date.UTC(2024, 1, s + 1, 1, 2, 3, 456)), limit: 2n ** 60n + BigInt(s) }, {
        metadata: { correlationId: `corr-${s}`, userId: 'u-1' },
      }),
    ]);
  }
  for (let round = 1; round < perStream; round++) {
    for (let s = 0; s < streams; s++) await store.append('Account', `acc-${s}`, round, [Deposited.create({ amount: round * 10 + s })]);
  }
}

export async function collect(source: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of source) text += chunk;
  return text;
}

/** Every event of the store, decoded, every field. */
export async function everything(store: EventStore): Promise<Event[]> {
  const out: Event[] = [];
  for (let from = 0n; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: 5 });
    if (page.length === 0) return out;
    out.push(...page);
    from = page.at(-1)!.globalPosition;
  }
}

export function transferSuite(name: string, openEmpty: OpenEmptyStore): void {
  describe(`export and import: ${name}`, () => {
    const opened: EventStore[] = [];
    const open = async () => {
      const store = (await openEmpty()).register(Opened, Deposited);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    it('copies the log into an empty store: every field, every position, the same order; appends go on after it', async () => {
      const source = await open();
      await seed(source);
      const file = await collect(exportEvents(source, { pageSize: 4 }));
      const lines = file.trimEnd().split('\n');
      expect(lines).toHaveLength(13);
      expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'eventuali-events', version: 1, from: '0' });
      const target = await open();
      const progress: ImportProgress[] = [];
      const result = await importEvents(target, [file], { batchSize: 5, onProgress: (p) => progress.push(p) });
      expect(result).toMatchObject({ events: 12, imported: 12, skipped: 0, bytes: Buffer.byteLength(file) });
      expect(progress.map((p) => p.imported)).toEqual([5, 10, 12]);
      expect(await everything(target)).toEqual(await everything(source));
      expect(await target.getGlobalPosition()).toBe(await source.getGlobalPosition());
      const [next] = await target.append('Account', 'acc-0', 4, [Deposited.create({ amount: 1 })]);
      expect(next!.aggregateVersion).toBe(5);
      expect(next!.globalPosition > result.lastPosition).toBe(true);
    });

    it('adds nothing when the same file is imported again, and resumes an interrupted import', async () => {
      const source = await open();
      await seed(source);
      const file = await collect(exportEvents(source));
      const lines = file.split('\n');
      const target = await open();
      // An import cut off after 5 events, then the whole file: the rest is added.
      expect(await importEvents(target, [`${lines.slice(0, 6).join('\n')}\n`])).toMatchObject({ imported: 5 });
      expect(await importEvents(target, [file])).toMatchObject({ imported: 7, skipped: 5 });
      expect(await importEvents(target, [file])).toMatchObject({ imported: 0, skipped: 12 });
      expect(await everything(target)).toEqual(await everything(source));
    });

    it('refuses a store that holds other events, writing nothing', async () => {
      const source = await open();
      await seed(source, 1, 2);
      const target = await open();
      await target.append('Other', 'x-1', 'no-stream', [Deposited.create({ amount: 5 })]);
      const before = await everything(target);
      await expect(importEvents(target, exportEvents(source))).rejects.toMatchObject({ code: 'IMPORT_CONFLICT', globalPosition: 1n });
      expect(await everything(target)).toEqual(before);
    });

    it('appends an export made from a position onto a store that ends there, and only there', async () => {
      const source = await open();
      await seed(source, 2, 2);
      const target = await open();
      await importEvents(target, exportEvents(source));
      const head = await source.getGlobalPosition();
      await source.append('Account', 'acc-0', 2, [Deposited.create({ amount: 7 })]);
      await source.append('Account', 'acc-9', 'no-stream', [Deposited.create({ amount: 8 })]);
      const rest = await collect(exportEvents(source, { from: head }));
      expect(await importEvents(target, [rest])).toMatchObject({ imported: 2, skipped: 0 });
      expect(await everything(target)).toEqual(await everything(source));
      // From an earlier position than the store's end: refused, nothing written.
      const other = await open();
      await seed(other, 1, 1);
      await expect(importEvents(other, [rest])).rejects.toMatchObject({ code: 'IMPORT_CONFLICT' });
      expect(await other.getGlobalPosition()).toBe(1n);
    });

    it('refuses a malformed line naming its number, writing nothing of its batch', async () => {
      const source = await open();
      await seed(source, 1, 3);
      const lines = (await collect(exportEvents(source))).trimEnd().split('\n');
      const target = await open();
      const broken = [...lines.slice(0, 3), '{"eventId": "x"', ...lines.slice(3)].join('\n');
      await expect(importEvents(target, [broken])).rejects.toMatchObject({ code: 'IMPORT_FORMAT', line: 4 });
      expect(await target.getGlobalPosition()).toBe(0n);
      const badField = lines[2]!.replace(/"aggregateVersion":\d+/, '"aggregateVersion":"2"');
      await expect(importEvents(target, [[lines[0], lines[1], badField].join('\n')])).rejects.toMatchObject({
        code: 'IMPORT_FORMAT',
        line: 3,
        message: expect.stringContaining('aggregateVersion'),
      });
      await expect(importEvents(target, [lines.slice(1).join('\n')])).rejects.toMatchObject({ code: 'IMPORT_FORMAT', line: 1 });
      await expect(importEvents(target, [])).rejects.toMatchObject({ code: 'IMPORT_FORMAT', line: 1 });
      expect(await target.getGlobalPosition()).toBe(0n);
    });

    it('exports from a position: the events after it', async () => {
      const source = await open();
      await seed(source);
      const all = await everything(source);
      const from = all[6]!.globalPosition;
      const lines = (await collect(exportEvents(source, { from }))).trimEnd().split('\n');
      expect(JSON.parse(lines[0]!)).toMatchObject({ from: from.toString() });
      expect(lines.slice(1).map((l) => (JSON.parse(l) as { eventId: string }).eventId)).toEqual(all.slice(7).map((e) => e.eventId));
      await expect(collect(exportEvents(source, { from: -1n }))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('runs no inline projection; durable subscriptions and projections read the imported events', async () => {
      const source = await open();
      await seed(source, 2, 3);
      const target = await open();
      target.projection(Balances, { inline: true });
      await importEvents(target, exportEvents(source));
      expect(await target.documents(Balances).get('acc-0')).toBeNull();
      const seen: string[] = [];
      const subscription = target.subscribe({ id: 'after-import', handle: (event) => void seen.push(event.eventId) });
      await subscription.start();
      await subscription.waitUntilCaughtUp();
      await subscription.stop();
      expect(seen).toEqual((await everything(source)).map((e) => e.eventId));
    });
  });
}
