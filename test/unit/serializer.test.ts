import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compileDefinition,
  decodeEvent,
  decodeRaw,
  appendedData,
  appendedMetadata,
  encodeEvent,
  toJson,
  type CompiledDefinition,
} from '../../src/core/serializer.js';
import { definitionOf } from '../../src/core/event.js';
import { defineEvent, EventDeserializationError, EventValidationError, type NewEvent } from '../../src/index.js';
import type { EventRecord, NewEventRecord } from '../../src/store/event-log.js';

const AT = new Date('2024-01-02T03:04:05.678Z');

const Opened = defineEvent(
  'SerOpened',
  z.object({ owner: z.string().min(1), openedAt: z.date(), limit: z.bigint(), tags: z.array(z.string()).default([]) }),
);
const opened = compileDefinition(Opened);

/** The record an adapter would hand back for an encoded event. */
function stored(record: NewEventRecord, position = 7n, version = 1): EventRecord {
  return { ...record, aggregateId: 'agg-1', aggregateType: 'Account', aggregateVersion: version, globalPosition: position };
}

function decodeError(record: EventRecord, compiled: CompiledDefinition, validate = true): EventDeserializationError {
  try {
    decodeEvent(record, compiled, { validate });
  } catch (error) {
    expect(error).toBeInstanceOf(EventDeserializationError);
    return error as EventDeserializationError;
  }
  throw new Error('expected decodeEvent to throw');
}

/** What the store does: the data appendedData() accepts, encoded. */
const encode = (event: NewEvent, compiled: CompiledDefinition | undefined) =>
  encodeEvent(event, appendedData(event, definitionOf(event), compiled), appendedMetadata(event, definitionOf(event), compiled));

describe('encodeEvent / decodeEvent', () => {
  it('round-trips data with Dates and bigints, and metadata, through JSON text', () => {
    const event = Opened.create(
      { owner: 'ann', openedAt: AT, limit: 2n ** 64n },
      { eventId: 'e-1', timestamp: AT, metadata: { correlationId: 'c-1', causationId: 'k-1', userId: 'u-1', extra: { n: 1 } } },
    );
    const record = encode(event, opened);
    expect(typeof record.data).toBe('string');
    expect(typeof record.metadata).toBe('string');
    expect(record).toMatchObject({ eventId: 'e-1', eventType: 'SerOpened', schemaVersion: 1, timestamp: AT });

    const decoded = decodeEvent(stored(record), opened, { validate: true });
    expect(decoded).toEqual({
      eventId: 'e-1',
      eventType: 'SerOpened',
      aggregateId: 'agg-1',
      aggregateType: 'Account',
      aggregateVersion: 1,
      globalPosition: 7n,
      timestamp: AT,
      schemaVersion: 1,
      metadata: { correlationId: 'c-1', causationId: 'k-1', userId: 'u-1', extra: { n: 1 } },
      data: { owner: 'ann', openedAt: AT, limit: 2n ** 64n, tags: [] },
    });
    expect(decoded.data).toMatchObject({ openedAt: expect.any(Date) });
  });

  it('writes bigints in metadata as decimal strings instead of failing', () => {
    const event = Opened.create({ owner: 'ann', openedAt: AT, limit: 1n }, { metadata: { sequence: 12345678901234567890n } });
    const record = encode(event, opened);
    expect(JSON.parse(record.metadata)).toEqual({ sequence: '12345678901234567890' });
    expect(decodeEvent(stored(record), opened, { validate: true }).metadata).toEqual({ sequence: '12345678901234567890' });
  });

  it('validates an event that create() did not make, storing the parsed data', () => {
    const handMade: NewEvent = {
      eventId: 'e-2',
      eventType: 'SerOpened',
      timestamp: AT,
      schemaVersion: 1,
      metadata: {},
      data: { owner: 'bob', openedAt: AT, limit: 3n },
    };
    expect(JSON.parse(encode(handMade, opened).data)).toEqual({
      owner: 'bob',
      openedAt: AT.toISOString(),
      limit: '3',
      tags: [],
    });
    const invalid = { ...handMade, data: { owner: '', openedAt: AT, limit: 3n } };
    expect(() => encode(invalid, opened)).toThrow(EventValidationError);
    expect(() => encode(handMade, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('rejects an invalid timestamp and data that is not serializable with INVALID_ARGUMENT', () => {
    expect(() => Opened.create({ owner: 'a', openedAt: AT, limit: 1n }, { timestamp: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const badTime = { ...Opened.create({ owner: 'a', openedAt: AT, limit: 1n }), timestamp: new Date(Number.NaN) };
    expect(() => encode(badTime, opened)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const farFuture = { ...badTime, timestamp: new Date('+010000-01-01T00:00:00Z') };
    expect(() => encode(farFuture, opened)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic['self'] = cyclic;
    expect(() => toJson(cyclic, 'event data')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(toJson({ a: [1n, -2n] }, 'x')).toBe('{"a":["1","-2"]}');
  });

  it('raises EventDeserializationError naming the position for JSON that does not parse', () => {
    const record = stored(encode(Opened.create({ owner: 'a', openedAt: AT, limit: 1n }), opened), 42n);
    const error = decodeError({ ...record, data: '{"owner":' }, opened);
    expect(error).toMatchObject({ code: 'EVENT_DESERIALIZATION', globalPosition: 42n, eventType: 'SerOpened' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(decodeError({ ...record, metadata: 'nope' }, opened).globalPosition).toBe(42n);
  });

  it('raises EventDeserializationError, with the zod issues as cause, for stored data that fails the schema', () => {
    const record = stored({ ...encode(Opened.create({ owner: 'a', openedAt: AT, limit: 1n }), opened), data: '{"owner":"","openedAt":"x","limit":"1"}' }, 9n);
    const error = decodeError(record, opened);
    expect(error.globalPosition).toBe(9n);
    expect(error.cause).toBeInstanceOf(EventValidationError);
    expect((error.cause as EventValidationError).issues.length).toBeGreaterThan(0);
  });

  it('skips validation when validate is false (data still revived, defaults not applied)', () => {
    const record = stored({ ...encode(Opened.create({ owner: 'a', openedAt: AT, limit: 1n }), opened), data: `{"owner":"","openedAt":"${AT.toISOString()}","limit":"5"}` });
    const event = decodeEvent(record, opened, { validate: false });
    expect(event.data).toEqual({ owner: '', openedAt: AT, limit: 5n });
  });
});

describe('upcasting', () => {
  const V3 = defineEvent('SerRenamed', z.object({ first: z.string(), last: z.string(), at: z.date() }), {
    version: 3,
    upcast: {
      1: (v1) => ({ fullName: (v1 as { name: string }).name, at: (v1 as { at: string }).at }),
      2: (v2) => {
        const { fullName, at } = v2 as { fullName: string; at: string };
        const [first = '', last = ''] = fullName.split(' ');
        return { first, last, at };
      },
    },
  });
  const v3 = compileDefinition(V3);
  const base = { eventId: 'r-1', eventType: 'SerRenamed', timestamp: AT, metadata: '{}' };

  it('upcasts v1 → v2 → v3, revives Dates after upcasting, and reports the current version', () => {
    const v1 = stored({ ...base, schemaVersion: 1, data: JSON.stringify({ name: 'Ann Lee', at: AT }) });
    const event = decodeEvent(v1, v3, { validate: true });
    expect(event.data).toEqual({ first: 'Ann', last: 'Lee', at: AT });
    expect(event.schemaVersion).toBe(3);
    const v2 = stored({ ...base, schemaVersion: 2, data: JSON.stringify({ fullName: 'Bo Ek', at: AT }) });
    expect(decodeEvent(v2, v3, { validate: true }).data).toEqual({ first: 'Bo', last: 'Ek', at: AT });
  });

  it('does not upcast a row already at the current version', () => {
    const current = stored({ ...base, schemaVersion: 3, data: JSON.stringify({ first: 'A', last: 'B', at: AT }) });
    expect(decodeEvent(current, v3, { validate: true }).data).toEqual({ first: 'A', last: 'B', at: AT });
  });

  it('wraps an upcaster that throws in EventDeserializationError with the thrown error as cause', () => {
    const boom = new Error('boom');
    const Throwing = defineEvent('SerThrowing', z.object({ a: z.string() }), { version: 2, upcast: { 1: () => { throw boom; } } });
    const record = stored({ ...base, eventType: 'SerThrowing', schemaVersion: 1, data: '{}' }, 11n);
    const error = decodeError(record, compileDefinition(Throwing));
    expect(error).toMatchObject({ code: 'EVENT_DESERIALIZATION', globalPosition: 11n, eventType: 'SerThrowing' });
    expect(error.cause).toBe(boom);
  });

  it.each([4, 0, -1])('rejects a row stored at schema version %s the definition does not know', (schemaVersion) => {
    const record = stored({ ...base, schemaVersion, data: JSON.stringify({ first: 'A', last: 'B', at: AT }) }, 13n);
    const error = decodeError(record, v3);
    expect(error.globalPosition).toBe(13n);
    expect(error.message).toContain(String(schemaVersion));
  });

  it('raises EventDeserializationError when the upcast result fails the schema', () => {
    const record = stored({ ...base, schemaVersion: 2, data: JSON.stringify({ fullName: 'Solo' , at: 'not a date' }) });
    expect(decodeError(record, v3).cause).toBeInstanceOf(EventValidationError);
  });
});

describe('decodeRaw', () => {
  it('returns the stored JSON undecoded, at its stored version', () => {
    const record = stored({ eventId: 'x-1', eventType: 'Unknown', schemaVersion: 4, timestamp: AT, metadata: '{"a":1}', data: '{"at":"2024-01-02T03:04:05.678Z","n":"5"}' });
    expect(decodeRaw(record)).toMatchObject({ schemaVersion: 4, metadata: { a: 1 }, data: { at: '2024-01-02T03:04:05.678Z', n: '5' } });
    expect(() => decodeRaw({ ...record, data: '{' })).toThrow(EventDeserializationError);
  });
});
