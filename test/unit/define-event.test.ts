import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  defineEvent,
  EventValidationError,
  InvalidArgumentError,
  type Event,
  type EventData,
  type EventOf,
  type NewEvent,
} from '../../src/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/; // time-ordered UUIDv7

const UserRegistered = defineEvent(
  'UserRegistered',
  z.object({
    username: z.string().min(3).max(50),
    email: z.email(),
    firstName: z.string().optional(),
  }),
);

const Priced = defineEvent('Priced', z.object({ amount: z.coerce.number(), currency: z.string().default('EUR') }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('defineEvent', () => {
  it('exposes the type name, the schema and version 1 by default', () => {
    const schema = z.object({ a: z.string() });
    const Def = defineEvent('Thing', schema);
    expect(Def.type).toBe('Thing');
    expect(Def.schema).toBe(schema);
    expect(Def.version).toBe(1);
  });

  it('accepts dotted, namespaced and dashed type names', () => {
    for (const name of ['user.registered', 'billing:InvoicePaid', 'order-placed', '_Private', 'a'.repeat(200)]) {
      expect(defineEvent(name, z.object({})).type).toBe(name);
    }
  });

  it.each([
    ['empty', ''],
    ['starting with a digit', '1Event'],
    ['with a space', 'User Registered'],
    ['with a slash', 'user/registered'],
    ['with a NUL', 'User\u0000Registered'],
    ['longer than 200 characters', 'a'.repeat(201)],
    ['not a string', 42],
  ])('rejects a type name %s with INVALID_ARGUMENT', (_label, name) => {
    const error = thrown(() => defineEvent(name as string, z.object({})));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'event type' });
  });

  it.each([
    ['undefined', undefined],
    ['a plain object', { parse: () => 1 }],
    ['a function', () => true],
  ])('rejects a schema that is %s with INVALID_ARGUMENT', (_label, schema) => {
    const error = thrown(() => defineEvent('NoSchema', schema as unknown as z.ZodType));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'schema' });
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects version %s with INVALID_ARGUMENT', (version) => {
    const error = thrown(() => defineEvent('Versioned', z.object({}), { version }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'version' });
  });

  it('rejects a version without an upcaster from every older version', () => {
    const schema = z.object({});
    expect(thrown(() => defineEvent('V2', schema, { version: 2 }))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'upcast' });
    const missingSecond = thrown(() => defineEvent('V3', schema, { version: 3, upcast: { 1: (d) => d } }));
    expect(missingSecond).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'upcast' });
    expect((missingSecond as Error).message).toContain('version 2');
    const notAFunction = { 1: 'nope' } as unknown as Record<number, (d: unknown) => unknown>;
    expect(thrown(() => defineEvent('V2b', schema, { version: 2, upcast: notAFunction }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('keeps the version and the upcasters of a versioned definition', () => {
    const up1 = (d: unknown) => d;
    const up2 = (d: unknown) => d;
    const Def = defineEvent('V3ok', z.object({}), { version: 3, upcast: { 1: up1, 2: up2 } });
    expect(Def.version).toBe(3);
    expect(Def.upcasters[1]).toBe(up1);
    expect(Def.upcasters[2]).toBe(up2);
  });
});

describe('definition.create', () => {
  it('makes an event with the parsed data, the type, the schema version and a timestamp', () => {
    const before = Date.now();
    const event = UserRegistered.create({ username: 'ann', email: 'ann@example.com' });
    expect(event.eventType).toBe('UserRegistered');
    expect(event.data).toEqual({ username: 'ann', email: 'ann@example.com' });
    expect(event.schemaVersion).toBe(1);
    expect(event.timestamp).toBeInstanceOf(Date);
    expect(event.timestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(event.metadata).toEqual({});
  });

  it("stores zod's output: coerced values and defaults", () => {
    const event = Priced.create({ amount: '12.5' });
    expect(event.data).toEqual({ amount: 12.5, currency: 'EUR' });
  });

  it('throws EventValidationError with code, eventType and the zod issues', () => {
    const error = thrown(() => UserRegistered.create({ username: 'an', email: 'not-an-email' }));
    expect(error).toBeInstanceOf(EventValidationError);
    const validation = error as EventValidationError;
    expect(validation.code).toBe('EVENT_VALIDATION');
    expect(validation.eventType).toBe('UserRegistered');
    expect(validation.issues.map((i) => i.path)).toEqual([['username'], ['email']]);
    expect(validation.issues[0]?.code).toBe('too_small');
    expect(validation.message).toContain('username');
  });

  it('rejects data of the wrong shape entirely', () => {
    expect(() => UserRegistered.create(null as never)).toThrow(EventValidationError);
  });

  it('gives every event a fresh UUID by default', () => {
    const ids = new Set(Array.from({ length: 20 }, () => UserRegistered.create({ username: 'ann', email: 'a@b.io' }).eventId));
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(UUID);
  });

  it('reuses options.eventId and options.timestamp (a retry keeps its id)', () => {
    const timestamp = new Date('2024-05-06T07:08:09.000Z');
    const event = UserRegistered.create({ username: 'ann', email: 'a@b.io' }, { eventId: 'evt-42', timestamp });
    expect(event.eventId).toBe('evt-42');
    expect(event.timestamp).toBe(timestamp);
  });

  it.each([['empty', ''], ['too long', 'x'.repeat(256)], ['with NUL', 'a\u0000b']])(
    'rejects an eventId that is %s with INVALID_ARGUMENT',
    (_label, eventId) => {
      const error = thrown(() => UserRegistered.create({ username: 'ann', email: 'a@b.io' }, { eventId }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'eventId' });
    },
  );

  it('copies the metadata: later changes to the caller object do not leak into the event', () => {
    const metadata = { correlationId: 'c-1', userId: 'u-1', extra: 1 };
    const event = UserRegistered.create({ username: 'ann', email: 'a@b.io' }, { metadata });
    metadata.correlationId = 'changed';
    expect(event.metadata).toEqual({ correlationId: 'c-1', userId: 'u-1', extra: 1 });
    expect(event.metadata).not.toBe(metadata);
  });

  it('stamps the current version of a versioned definition', () => {
    const V2 = defineEvent('StampedV2', z.object({ b: z.string() }), { version: 2, upcast: { 1: (d) => d } });
    expect(V2.create({ b: 'x' }).schemaVersion).toBe(2);
  });
});

describe('definition.is', () => {
  it('tells events of its type from others', () => {
    const registered = UserRegistered.create({ username: 'ann', email: 'a@b.io' });
    const priced = Priced.create({ amount: 1 });
    expect(UserRegistered.is(registered)).toBe(true);
    expect(UserRegistered.is(priced)).toBe(false);
    expect(Priced.is(priced)).toBe(true);
  });

  it('narrows a union of events to the typed envelope', () => {
    const events: Event[] = [];
    for (const event of events) {
      if (UserRegistered.is(event)) {
        expectTypeOf(event.eventType).toEqualTypeOf<'UserRegistered'>();
        expectTypeOf(event.data.username).toEqualTypeOf<string>();
      }
    }
    const event: Event = { ...UserRegistered.create({ username: 'ann', email: 'a@b.io' }), aggregateId: 'a', aggregateType: 'T', aggregateVersion: 1, globalPosition: 1n };
    expect(UserRegistered.is(event) && event.data.username).toBe('ann');
  });
});

describe('event types', () => {
  it('EventOf gives the envelope typed by the schema output', () => {
    type Registered = EventOf<typeof UserRegistered>;
    expectTypeOf<Registered['eventType']>().toEqualTypeOf<'UserRegistered'>();
    expectTypeOf<Registered['data']>().toEqualTypeOf<{ username: string; email: string; firstName?: string | undefined }>();
    expectTypeOf<Registered['globalPosition']>().toEqualTypeOf<bigint>();
    expectTypeOf<EventOf<typeof Priced>['data']>().toEqualTypeOf<{ amount: number; currency: string }>();
    expectTypeOf<EventData<typeof Priced>>().toEqualTypeOf<{ amount: number; currency: string }>();
    expectTypeOf<EventOf<string>>().toBeNever();
  });

  it('create() takes the schema input and returns a NewEvent of the output', () => {
    expectTypeOf(Priced.create).parameter(0).toEqualTypeOf<{ amount: unknown; currency?: string | undefined }>();
    expectTypeOf(Priced.create).returns.toEqualTypeOf<NewEvent<'Priced', { amount: number; currency: string }>>();
    expectTypeOf(UserRegistered.type).toEqualTypeOf<'UserRegistered'>();
  });
});
