// docs/read-models.md, "Testing a read model": a test file as it would sit in your project.
// test/docs/specs.test.ts imports it, so vitest runs these tests.
// #region scenario
import { describe, it } from 'vitest';
import { readModelScenario } from '../../src/testing.js';
import { CartAbandoned, CartDetails, CartOpened, ProductAdded } from './read-models.js';

const openedAt = new Date('2026-01-02T10:00:00Z');

describe('CartDetails', () => {
  it('adds up the products of a cart', async () => {
    await readModelScenario(CartDetails) // on a new memory store; { store } runs it on SQLite or PostgreSQL
      .given('cart-1', CartOpened.create({ clientId: 'c-1', openedAt }), ProductAdded.create({ sku: 'tea', priceCents: 450 }))
      .given('cart-2', CartOpened.create({ clientId: 'c-2', openedAt }), CartAbandoned.create({}))
      .then({
        'cart-1': { clientId: 'c-1', status: 'Open', items: 1, totalCents: 450, openedAt }, // exactly these documents
        'cart-2': null, // abandoned: deleted
      });
  });

  it('refuses a negative total', async () => {
    await readModelScenario(CartDetails)
      .given('cart-1', CartOpened.create({ clientId: 'c-1', openedAt }), ProductAdded.create({ sku: 'refund', priceCents: -5 }))
      .thenThrows('DOCUMENT_VALIDATION'); // or DocumentValidationError, or a predicate
  });
});
// #endregion
