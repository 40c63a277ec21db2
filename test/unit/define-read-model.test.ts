import { describe, expect, expectTypeOf, it } from 'vitest';
import * as v from 'valibot';
import { z } from 'zod';
import { defineEvent, defineReadModel, EventStore, MemoryAdapter, type DocumentOf, type StorageAdapter } from '../../src/index.js';

const Opened = defineEvent('DrmOpened', z.object({ owner: z.string() }));
const Closed = defineEvent('DrmClosed', z.object({ reason: z.string() }));
const schema = z.object({ owner: z.string(), open: z.boolean() });
const base = { name: 'drm_carts', schema, events: [Opened, Closed] as const, evolve: () => null };

describe('defineReadModel', () => {
  it('types the document and the events evolve gets', () => {
    const model = defineReadModel({
      ...base,
      evolve: (doc, event) => {
        expectTypeOf(doc).toEqualTypeOf<{ owner: string; open: boolean } | null>();
        expectTypeOf(event.eventType).toEqualTypeOf<'DrmOpened' | 'DrmClosed'>();
        return Opened.is(event) ? { owner: event.data.owner, open: true } : doc && { ...doc, open: false };
      },
      indexes: ['owner'],
    });
    expectTypeOf<DocumentOf<typeof model>>().toEqualTypeOf<{ owner: string; open: boolean }>();
    expect(model).toMatchObject({ kind: 'read-model', name: 'drm_carts', eventTypes: ['DrmOpened', 'DrmClosed'], indexes: ['owner'] });
  });

  it.each([
    ['a name that is not a lowercase identifier', { ...base, name: 'Carts; DROP TABLE x' }],
    ['a name too long for its table', { ...base, name: 'a'.repeat(49) }],
    ['no events', { ...base, events: [] }],
    ['no schema', { ...base, schema: {} }],
    ['no evolve', { ...base, evolve: undefined }],
    ['an index on a field the schema lacks', { ...base, indexes: ['nothere'] }],
    ['an index name that is no identifier', { ...base, schema: z.record(z.string(), z.string()), indexes: [`a') --`] }],
    ['an index named twice', { ...base, indexes: ['owner', 'owner'] }],
  ])('refuses %s with InvalidArgumentError', (_what, definition) => {
    expect(() => defineReadModel(definition as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('takes any Standard Schema v1 schema (valibot here): documents checked on write, fields not listed', async () => {
    const model = defineReadModel({
      name: 'drm_valibot',
      schema: v.object({ owner: v.pipe(v.string(), v.minLength(2)), open: v.boolean() }),
      events: [Opened],
      evolve: (_doc, event) => ({ owner: event.data.owner, open: true }),
    });
    expect(model.fields).toBeNull();
    const store = new EventStore();
    store.projection(model, { inline: true });
    await store.append('DrmCart', 'c-1', 'no-stream', [Opened.create({ owner: 'ann' })]);
    expect(await store.documents(model).find({ where: { owner: 'ann' } })).toEqual([{ owner: 'ann', open: true }]);
    await expect(store.append('DrmCart', 'c-2', 'no-stream', [Opened.create({ owner: 'a' })])).rejects.toMatchObject({
      code: 'DOCUMENT_VALIDATION',
      documentId: 'c-2',
    });
    await store.close();
  });

  it('runs only on an adapter that keeps documents, and inline at most once per store', async () => {
    const model = defineReadModel(base);
    const memory = new MemoryAdapter();
    const bare: StorageAdapter = Object.create(memory, { documents: { value: undefined } }) as StorageAdapter;
    const without = new EventStore(bare);
    expect(() => without.projection(model)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => without.documents(model)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const store = new EventStore();
    store.projection(model, { inline: true });
    expect(() => store.projection(model, { inline: true })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => store.projection(defineReadModel({ ...base, name: 'drm_other' }), { inline: true, batchSize: 5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    await store.close();
  });
});
