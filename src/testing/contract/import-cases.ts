import { randomUUID } from 'node:crypto';
import type { ContractTestApi } from './test-api.js';
import type { EventRecord } from '../../store/event-log.js';
import type { StorageAdapter } from '../../store/adapter.js';
import { Deposited, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

/** An exported record of a ContractDeposited event, at `position`. */
function exported(position: bigint, aggregateId: string, version: number, amount: number): EventRecord {
  return {
    eventId: randomUUID(),
    eventType: 'ContractDeposited',
    aggregateId,
    aggregateType: 'ContractAccount',
    aggregateVersion: version,
    globalPosition: position,
    schemaVersion: 1,
    timestamp: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678) + amount),
    metadata: JSON.stringify({ correlationId: `c-${amount}` }),
    data: JSON.stringify({ amount }),
  };
}

/** A record with its JSON parsed: PostgreSQL's jsonb prints stored JSON its own way. */
function parsed(records: readonly EventRecord[]): unknown[] {
  return records.map((r) => ({ ...r, metadata: JSON.parse(r.metadata) as unknown, data: JSON.parse(r.data) as unknown }));
}

/** Positions well past the shared store's head, so each test imports where nothing is yet. */
async function freshBase(adapter: StorageAdapter): Promise<bigint> {
  return (await adapter.globalPosition()) + 1000n;
}

function importer(adapter: StorageAdapter): NonNullable<StorageAdapter['importEvents']> {
  const importEvents = adapter.importEvents?.bind(adapter);
  if (!importEvents) throw new Error('the adapter has no importEvents');
  return importEvents;
}

/** The import port (`importEvents`): events stored at their own positions, run again adds nothing, conflicts write nothing. */
export function importCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('stores imported events with their ids, versions, positions and fields, and appends after them', async () => {
    const { store, adapter } = await open();
    const base = await freshBase(adapter);
    const a = uid('imported');
    const b = uid('imported');
    const records = [exported(base + 1n, a, 1, 1), exported(base + 2n, b, 1, 2), exported(base + 5n, a, 2, 3)];
    expect(await importer(adapter)(records)).toEqual({ imported: 3, skipped: 0 });
    const read = await adapter.readAll({ after: base - 1000n, limit: 1000 });
    expect(parsed(read.filter((r) => r.aggregateId === a || r.aggregateId === b))).toEqual(parsed(records));
    expect(await adapter.globalPosition()).toBe(base + 5n);
    const events = await store.loadEvents(a);
    expect(events.map((e) => [e.aggregateVersion, e.globalPosition, e.data, e.metadata])).toEqual([
      [1, base + 1n, { amount: 1 }, { correlationId: 'c-1' }],
      [2, base + 5n, { amount: 3 }, { correlationId: 'c-3' }],
    ]);
    // The stream goes on at the next version, the log at a position past the imported ones.
    const [appended] = await store.append('ContractAccount', a, 2, [Deposited.create({ amount: 4 })]);
    expect(appended?.aggregateVersion).toBe(3);
    expect((appended?.globalPosition ?? 0n) > base + 5n).toBe(true);
  });

  it('skips events stored with the same id at the same position: a second import adds nothing', async () => {
    const { adapter } = await open();
    const base = await freshBase(adapter);
    const id = uid('again');
    const records = [exported(base + 1n, id, 1, 1), exported(base + 2n, id, 2, 2)];
    await importer(adapter)(records.slice(0, 1));
    expect(await importer(adapter)(records)).toEqual({ imported: 1, skipped: 1 });
    expect(await importer(adapter)(records)).toEqual({ imported: 0, skipped: 2 });
    expect(parsed(await adapter.readStream(id, { fromVersion: 1 }))).toEqual(parsed(records));
  });

  it('refuses an event whose position holds another event, writing nothing of the batch', async () => {
    const { adapter } = await open();
    const base = await freshBase(adapter);
    const first = exported(base + 1n, uid('held'), 1, 1);
    await importer(adapter)([first]);
    const fresh = exported(base + 0n, uid('fresh'), 1, 2);
    const clash = { ...exported(base + 1n, uid('clash'), 1, 3) };
    await expect(importer(adapter)([fresh, clash])).rejects.toMatchObject({
      code: 'IMPORT_CONFLICT',
      globalPosition: base + 1n,
      eventId: clash.eventId,
    });
    expect(await adapter.readEvents([fresh.eventId, clash.eventId])).toEqual([]);
  });

  it('refuses an event id stored at another position, and a stream version another event holds', async () => {
    const { adapter } = await open();
    const base = await freshBase(adapter);
    const stream = uid('versions');
    const stored = exported(base + 1n, stream, 1, 1);
    await importer(adapter)([stored]);
    const movedId = { ...exported(base + 2n, uid('moved'), 1, 2), eventId: stored.eventId };
    await expect(importer(adapter)([movedId])).rejects.toMatchObject({ code: 'IMPORT_CONFLICT', globalPosition: base + 2n });
    const sameVersion = exported(base + 3n, stream, 1, 3);
    await expect(importer(adapter)([sameVersion])).rejects.toMatchObject({ code: 'IMPORT_CONFLICT', eventId: sameVersion.eventId });
    const twiceInBatch = [exported(base + 4n, uid('twice'), 1, 4), exported(base + 5n, uid('twice'), 1, 5)];
    twiceInBatch[1] = { ...(twiceInBatch[1] as EventRecord), eventId: (twiceInBatch[0] as EventRecord).eventId };
    await expect(importer(adapter)(twiceInBatch)).rejects.toMatchObject({ code: 'IMPORT_CONFLICT', globalPosition: base + 5n });
    expect(parsed(await adapter.readStream(stream, { fromVersion: 1 }))).toEqual(parsed([stored]));
    expect(await adapter.globalPosition()).toBe(base + 1n);
  });

  it('refuses a batch whose positions do not strictly increase', async () => {
    const { adapter } = await open();
    const base = await freshBase(adapter);
    const records = [exported(base + 2n, uid('order'), 1, 1), exported(base + 1n, uid('order'), 1, 2)];
    await expect(importer(adapter)(records)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await adapter.readEvents(records.map((r) => r.eventId))).toEqual([]);
  });
}
