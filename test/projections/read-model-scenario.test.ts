import { AssertionError } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineReadModel, DocumentValidationError, EventStore } from '../../src/index.js';
import { readModelScenario } from '../../src/testing.js';
import { CartDiscarded, CartOpened, cartModel, ItemAdded } from '../../src/testing/contract/read-model-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const openedAt = new Date('2025-01-02T03:04:05.006Z');
const opened = (owner: string) => CartOpened.create({ owner, openedAt, vip: false });

const dir = mkdtempSync(join(tmpdir(), 'eventuali-rm-scenario-'));
let pgDb: TestDatabase | undefined;
beforeAll(async () => {
  pgDb = await createTestDatabase('rm_scenario');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
});

const targets: [string, () => Promise<EventStore | undefined>][] = [
  ['memory (default)', async () => undefined],
  ['SQLite file', () => EventStore.create(`sqlite://${join(dir, 'events.db')}`)],
  ['PostgreSQL', () => EventStore.create(pgDb!.url)],
];

describe.each(targets)('readModelScenario on %s', (_name, openStore) => {
  it('asserts the documents the events leave, exactly', async () => {
    const store = await openStore();
    const model = cartModel();
    try {
      await readModelScenario(model, { store })
        .given('cart-1', opened('ann'), ItemAdded.create({ sku: 'x', price: 2 }))
        .given('cart-2', opened('bob'), CartDiscarded.create({}))
        .then({
          'cart-1': { owner: 'ann', status: 'open', items: 1, total: 2, vip: false, openedAt, lastSku: 'x' },
          'cart-2': null,
        });
      // A document left out, a wrong field, a document that should not be there: each fails.
      await expect(readModelScenario(model, { store }).given('c', opened('ann')).then({})).rejects.toBeInstanceOf(AssertionError);
      await expect(
        readModelScenario(model, { store }).given('c', opened('ann')).then({ c: { owner: 'bob', status: 'open', items: 0, total: 0, vip: false, openedAt, lastSku: null } }),
      ).rejects.toBeInstanceOf(AssertionError);
      await expect(readModelScenario(model, { store }).given('c', opened('ann'), CartDiscarded.create({})).then({ c: null })).resolves.toBeUndefined();
    } finally {
      await store?.close();
    }
  });

  it('asserts a document the schema refuses', async () => {
    const store = await openStore();
    try {
      const scenario = readModelScenario(cartModel(), { store }).given('c', opened('ann'), ItemAdded.create({ sku: 'x', price: -1 }));
      await scenario.thenThrows('DOCUMENT_VALIDATION');
      await scenario.thenThrows(DocumentValidationError);
      await scenario.thenThrows((e) => e instanceof DocumentValidationError && e.documentId === 'c');
      await expect(scenario.thenThrows('CONCURRENCY_CONFLICT')).rejects.toBeInstanceOf(AssertionError);
      // A document holding a NUL character or a lone surrogate: no store keeps one (jsonb refuses them).
      for (const bad of ['a\u0000b', 'x\ud800']) {
        const model = defineReadModel({ name: 'unstorable', schema: z.object({ s: z.string() }), events: [CartOpened], evolve: () => ({ s: bad }) });
        await readModelScenario(model, { store }).given('c', opened('ann')).thenThrows('INVALID_ARGUMENT');
      }
      await expect(readModelScenario(cartModel(), { store }).given('c', opened('ann')).thenThrows('DOCUMENT_VALIDATION')).rejects.toBeInstanceOf(
        AssertionError,
      );
    } finally {
      await store?.close();
    }
  });
});
