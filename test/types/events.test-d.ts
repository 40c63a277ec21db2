// Type tests, checked by `npm run typecheck` (tsc): an expectation that no longer holds, or a
// `@ts-expect-error` line that stops being an error, fails the build.
import { type } from 'arktype';
import * as v from 'valibot';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { defineEvent, type EventData, type EventMetadata, type EventOf, type NewEvent } from '../../src/index.js';

const CartOpened = defineEvent('CartOpened', z.object({ cartId: z.string(), openedAt: z.date() }), {
  metadata: z.object({ clientId: z.string(), attempt: z.number().optional() }),
});
type CartOpenedEvent = EventOf<typeof CartOpened>;

// Metadata is typed by its schema, the standard keys stay.
expectTypeOf<CartOpenedEvent['metadata']['clientId']>().toEqualTypeOf<string>();
expectTypeOf<CartOpenedEvent['metadata']['attempt']>().toEqualTypeOf<number | undefined>();
expectTypeOf<CartOpenedEvent['metadata']['correlationId']>().toEqualTypeOf<string | undefined>();
expectTypeOf<CartOpenedEvent['metadata']['causationId']>().toEqualTypeOf<string | undefined>();
expectTypeOf<CartOpenedEvent['metadata']['userId']>().toEqualTypeOf<string | undefined>();
expectTypeOf<CartOpenedEvent['data']>().toEqualTypeOf<{ cartId: string; openedAt: Date }>();

const opened = CartOpened.create({ cartId: 'c-1', openedAt: new Date() }, { metadata: { clientId: 'web', correlationId: 'r-1' } });
expectTypeOf(opened).toEqualTypeOf<NewEvent<'CartOpened', { cartId: string; openedAt: Date }, EventMetadata & { clientId: string; attempt?: number | undefined }>>();
expectTypeOf(opened.metadata.clientId).toEqualTypeOf<string>();

// @ts-expect-error clientId must be a string
CartOpened.create({ cartId: 'c-1', openedAt: new Date() }, { metadata: { clientId: 7 } });
// @ts-expect-error the metadata schema requires clientId
CartOpened.create({ cartId: 'c-1', openedAt: new Date() }, { metadata: { correlationId: 'r-1' } });
// @ts-expect-error so the options (with metadata) are required
CartOpened.create({ cartId: 'c-1', openedAt: new Date() });
// @ts-expect-error metadata itself is required
CartOpened.create({ cartId: 'c-1', openedAt: new Date() }, { eventId: 'e-1' });
// Without a required key the options stay optional.
defineEvent('Optional', z.object({}), { metadata: z.object({ clientId: z.string().optional() }) }).create({});

// An event without a metadata schema keeps the plain metadata type.
const Plain = defineEvent('Plain', z.object({ n: z.number() }));
expectTypeOf<EventOf<typeof Plain>['metadata']>().toEqualTypeOf<EventMetadata>();

// The type guard narrows metadata too.
declare const anyEvent: { eventType: string; metadata: EventMetadata };
if (CartOpened.is(anyEvent)) expectTypeOf(anyEvent.metadata.clientId).toEqualTypeOf<string>();

// valibot: data and metadata schemas, input and output types.
const Shipped = defineEvent(
  'Shipped',
  v.object({ orderId: v.string(), parcels: v.pipe(v.number(), v.integer()), note: v.optional(v.string(), 'none') }),
  { metadata: v.object({ carrier: v.picklist(['dhl', 'ups']) }) },
);
expectTypeOf<EventData<typeof Shipped>>().toEqualTypeOf<{ orderId: string; parcels: number; note: string }>();
expectTypeOf<EventOf<typeof Shipped>['metadata']['carrier']>().toEqualTypeOf<'dhl' | 'ups'>();
expectTypeOf(Shipped.create).parameter(0).toEqualTypeOf<{ orderId: string; parcels: number; note?: string | undefined }>();
// @ts-expect-error parcels is a number
Shipped.create({ orderId: 'o-1', parcels: '2' }, { metadata: { carrier: 'dhl' } });
// @ts-expect-error fedex is not a carrier
Shipped.create({ orderId: 'o-1', parcels: 2 }, { metadata: { carrier: 'fedex' } });

// arktype.
const Rated = defineEvent('Rated', type({ productId: 'string', stars: '1 <= number.integer <= 5' }), {
  metadata: type({ reviewer: 'string' }),
});
expectTypeOf<EventData<typeof Rated>>().toEqualTypeOf<{ productId: string; stars: number }>();
expectTypeOf<EventOf<typeof Rated>['metadata']['reviewer']>().toEqualTypeOf<string>();
expectTypeOf<EventOf<typeof Rated>['eventType']>().toEqualTypeOf<'Rated'>();
// @ts-expect-error stars is a number
Rated.create({ productId: 'p-1', stars: 'five' });

// @ts-expect-error a schema is required: a plain object is not one
defineEvent('NotASchema', { parse: (x: unknown) => x });
