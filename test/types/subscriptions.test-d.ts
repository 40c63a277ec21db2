// Type tests, checked by `npm run typecheck` (tsc).
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  defineEvent,
  defineProjection,
  type ConsumerGroup,
  type DurableSubscription,
  type Event,
  type EventOf,
  type EventStore,
  type HandlerContext,
} from '../../src/index.js';

const ItemAdded = defineEvent('ItemAdded', z.object({ sku: z.string(), quantity: z.number() }));
const ItemRemoved = defineEvent('ItemRemoved', z.object({ sku: z.string() }), { metadata: z.object({ reason: z.string() }) });
declare const store: EventStore;

// Given definitions, the handler gets their typed union.
store.subscribe({
  id: 'cart-lines',
  events: [ItemAdded, ItemRemoved],
  handle: (event, ctx) => {
    expectTypeOf(event).toEqualTypeOf<EventOf<typeof ItemAdded> | EventOf<typeof ItemRemoved>>();
    expectTypeOf(ctx).toEqualTypeOf<HandlerContext>();
    if (event.eventType === 'ItemAdded') expectTypeOf(event.data.quantity).toEqualTypeOf<number>();
    else expectTypeOf(event.metadata.reason).toEqualTypeOf<string>();
    // @ts-expect-error quantity is on ItemAdded only: the union must be narrowed first
    void event.data.quantity;
  },
});

// @ts-expect-error a handler for another event does not fit
store.subscribe({ id: 'wrong', events: [ItemAdded], handle: (event: EventOf<typeof ItemRemoved>) => event });

// Without definitions, the handler gets Event (and a handler written for Event still fits `events`).
store.subscribe({ id: 'all', handle: (event) => expectTypeOf(event).toEqualTypeOf<Event>() });
store.subscribe({ id: 'by-name', eventTypes: ['ItemAdded'], handle: (event) => expectTypeOf(event).toEqualTypeOf<Event>() });
store.subscribe({ id: 'wide', events: [ItemAdded], handle: (event: Event) => event });

// A projection's handlers are typed per event.
defineProjection({
  name: 'lines',
  events: [ItemAdded, ItemRemoved],
  handlers: {
    ItemAdded: (event) => expectTypeOf(event).toEqualTypeOf<EventOf<typeof ItemAdded>>(),
    ItemRemoved: (event) => expectTypeOf(event.metadata.reason).toEqualTypeOf<string>(),
  },
});
defineProjection({
  name: 'typo',
  events: [ItemAdded],
  // @ts-expect-error no such event in `events`
  handlers: { ItemAded: () => undefined },
});

// A consumer group (partitions, optionally partitionConcurrency) returns a ConsumerGroup; a plain
// subscription a DurableSubscription; partitionConcurrency without partitions is neither for sure.
expectTypeOf(store.subscribe({ id: 'group', partitions: 4, partitionConcurrency: 2, handle: () => undefined })).toEqualTypeOf<ConsumerGroup>();
expectTypeOf(store.subscribe({ id: 'plain', handle: () => undefined })).toEqualTypeOf<DurableSubscription>();
expectTypeOf(store.subscribe({ id: 'unsure', partitionConcurrency: 2, handle: () => undefined })).toEqualTypeOf<DurableSubscription | ConsumerGroup>();
