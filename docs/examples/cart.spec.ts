// docs/deciders.md, "Testing a decider": a test file as it would sit in your project.
// test/docs/specs.test.ts imports it, so vitest runs these tests.
// #region spec
import { describe, it } from 'vitest';
import { deciderScenario } from '../../src/testing.js';
import { Cart, CartConfirmed, CartError, ProductAdded } from './cart.js';

const book = ProductAdded.create({ sku: 'book', quantity: 2, priceCents: 1500 });

describe('Cart', () => {
  it('confirms a cart with its total', () => {
    deciderScenario(Cart)
      .given([book]) // the history, as if loaded from a store
      .when({ type: 'Confirm' }) // the command under test
      .then([CartConfirmed.create({ totalCents: 3000 })]); // exactly these events (type and data), in order
  });

  it('removes nothing that is not in the cart', () => {
    deciderScenario(Cart).given([book]).when({ type: 'RemoveProduct', sku: 'pen' }).then([]);
  });

  it('refuses to confirm an empty cart', () => {
    deciderScenario(Cart).given([]).when({ type: 'Confirm' }).thenThrows(CartError); // an error class,
  });

  it('refuses to change a confirmed cart', () => {
    const confirmed = CartConfirmed.create({ totalCents: 3000 });
    const when = deciderScenario(Cart).given([book, confirmed]).when({ type: 'AddProduct', sku: 'pen', quantity: 1, priceCents: 200 });
    when.thenThrows((error) => error instanceof CartError && /confirmed/.test(error.message)); // a predicate,
    deciderScenario(Cart).given([]).when({ type: 'AddProduct', sku: '', quantity: 1, priceCents: 1 }).thenThrows('EVENT_VALIDATION'); // or a code
  });
});
// #endregion
