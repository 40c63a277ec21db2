import type { ContractTestApi } from './test-api.js';
import { EventStore } from '../../event-store/event-store.js';
import type { NewEvent } from '../../core/event.js';
import { EventDeserializationError, EventValidationError } from '../../core/errors.js';
import { Labelled, Tagged, rawRecord, thrown, uid } from './fixtures.js';
import type { OpenStore } from './open-store.js';

/** Metadata schemas and non-zod (Standard Schema v1) schemas, on write and on read. */
export function schemaCases(open: OpenStore, { it, expect }: ContractTestApi): void {
  it('stores metadata that passes its schema, and reads it back typed (a zod Date revived)', async () => {
    const { store, adapter } = await open();
    const id = uid('tagged');
    const sentAt = new Date('2024-05-06T07:08:09.010Z');
    await store.append('ContractTags', id, 'no-stream', [
      Tagged.create({ tag: 'a' }, { metadata: { clientId: 'web', sentAt, correlationId: 'req-1' } }),
    ]);
    const fresh = new EventStore(adapter).register(Tagged);
    const [event] = await fresh.loadEvents(id);
    expect(event?.metadata).toEqual({ clientId: 'web', sentAt, correlationId: 'req-1' });
    expect(event?.metadata.sentAt).toBeInstanceOf(Date);
  });

  it('refuses metadata that fails its schema with EventValidationError, writing nothing', async () => {
    const { store } = await open();
    const id = uid('tagged');
    expect(() => Tagged.create({ tag: 'a' }, { metadata: { clientId: '' } })).toThrow(EventValidationError);
    expect(thrown(() => Tagged.create({ tag: 'a' }, {} as never))).toMatchObject({ code: 'EVENT_VALIDATION', part: 'metadata' });
    // An event built by hand (not by create()) is checked on append against the registered definition.
    const forged: NewEvent = { ...Tagged.create({ tag: 'a' }, { metadata: { clientId: 'web' } }), metadata: { clientId: 42 } };
    await expect(store.append('ContractTags', id, 'no-stream', [forged])).rejects.toMatchObject({
      code: 'EVENT_VALIDATION',
      part: 'metadata',
    });
    expect(await store.getAggregateVersion(id)).toBe(0);
  });

  it('reads a stored event whose metadata fails its schema as EventDeserializationError naming its position', async () => {
    const { store, adapter } = await open();
    const id = uid('tagged');
    const [stored] = await adapter.append({
      aggregateId: id,
      aggregateType: 'ContractTags',
      expectedVersion: 0,
      events: [rawRecord('ContractTagged', '{"tag":"a"}', 1, '{"clientId":7}')],
    });
    const error = await store.loadEvents(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventDeserializationError);
    expect(error).toMatchObject({ globalPosition: stored?.globalPosition, eventType: 'ContractTagged' });
    expect((error as Error).message.includes('fails its metadata schema at clientId')).toBe(true);
    // validateOnRead: false passes it through, as it does data.
    const unchecked = new EventStore(adapter, { validateOnRead: false }).register(Tagged);
    const [event] = await unchecked.loadEvents(id);
    expect(event?.metadata).toEqual({ clientId: 7 });
  });

  it('runs a Standard Schema v1 schema that is not zod, for data and metadata, on write and on read', async () => {
    const { store, adapter } = await open();
    const id = uid('labelled');
    await store.append('ContractLabels', id, 'no-stream', [Labelled.create({ label: '  one ' }, { metadata: { label: 'm' } })]);
    const refused = thrown(() => Labelled.create({ label: ' ' }, { metadata: { label: 'm' } }));
    expect(refused).toBeInstanceOf(EventValidationError);
    expect((refused as EventValidationError).issues.map((issue) => issue.path)).toEqual([['label']]);
    await adapter.append({
      aggregateId: id,
      aggregateType: 'ContractLabels',
      expectedVersion: 1,
      events: [rawRecord('ContractLabelled', '{"label":7}', 1, '{"label":"m"}')],
    });
    const fresh = new EventStore(adapter).register(Labelled);
    await expect(fresh.loadEvents(id)).rejects.toMatchObject({ code: 'EVENT_DESERIALIZATION' });
    const [first] = await fresh.loadEvents(id, { toVersion: 1 });
    expect(first?.data).toEqual({ label: 'one' });
    expect(first?.metadata).toEqual({ label: 'm' });
  });
}
