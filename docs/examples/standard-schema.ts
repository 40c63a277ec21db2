// docs/events.md: schemas from other libraries (any Standard Schema v1 schema).
// #region standard-schema
import { type } from 'arktype';
import * as v from 'valibot';
import { EventStore, defineEvent } from '../../src/index.js';

// valibot: data and metadata; create() takes the schema's input type, events hold its output.
export const ParcelShipped = defineEvent(
  'ParcelShipped',
  v.object({ parcelId: v.string(), weightGrams: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  { metadata: v.object({ carrier: v.picklist(['dhl', 'ups']) }) },
);

// arktype.
export const ProductRated = defineEvent('ProductRated', type({ productId: 'string > 0', stars: '1 <= number.integer <= 5' }));
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    await store.append('Parcel', 'p-1', 'no-stream', [ParcelShipped.create({ parcelId: 'p-1', weightGrams: 900 }, { metadata: { carrier: 'dhl' } })]);
    await store.append('Product', 'r-1', 'no-stream', [ProductRated.create({ productId: 'book', stars: 5 })]);
    const [shipped] = await store.loadEvents('p-1');
    return {
      carrier: shipped && ParcelShipped.is(shipped) ? shipped.metadata.carrier : undefined,
      stars: (await store.loadEvents('r-1')).map((e) => (ProductRated.is(e) ? e.data.stars : 0)),
    };
  } finally {
    await store.close();
  }
}
