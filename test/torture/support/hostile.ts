import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { isEventualiError, type Event } from '../../../src/index.js';
import { Anything, Noted } from './events.js';
import { describe } from './integrity.js';
import { asStored } from './model.js';

/** Strings that have broken databases and drivers before: SQL, NUL, lone surrogates, bidi, emoji, long. */
export const NASTY_STRINGS = [
  `'`, `"`, `\\`, `'; DROP TABLE eventuali_events; --`, `Robert'); DROP TABLE students;--`, `" OR "1"="1`, '%', '_', '$1', '?',
  '\u0000', 'a\u0000b', '\uD800', '\uDC00', 'a\uD83D', '\uDE00b', '\u202Eevil\u202C', 'שלום', 'مرحبا', '😀', '👨‍👩‍👧‍👦', 'e\u0301',
  '\uFEFF', '\u2028', '\n', '\r\n', '\t', ' ', '', '__proto__', 'constructor', 'null', 'NaN', '1e309', 'x'.repeat(255),
  'x'.repeat(256), '😀'.repeat(128), 'x'.repeat(10_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.tuple(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', maxLength: 8 })).map(([a, b]) => `${a}${b}`),
);

/** Any JSON, with any code point in its strings (NUL, lone surrogates included). */
export const hostileJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });

/** Values where the API expects something else entirely. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -1, 0, 1.5, 2 ** 31, 2 ** 53, 2n ** 64n, -0, '', 'any', true, [], {}),
  fc.anything({ maxDepth: 2 }),
);

export const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }) },
  fc.date(),
  fc.constantFrom(new Date(NaN), new Date(8.64e15), new Date(-8.64e15), '2020-01-01', 0),
);

/** A hand-built event that is valid but for one field (the classic single mutation). */
const mutated: fc.Arbitrary<() => unknown> = fc
  .oneof(
    fc.record({ eventId: fc.oneof(hostileString, junk) }),
    fc.record({ eventType: fc.oneof(fc.constantFrom('Noted', 'Nope', ''), hostileString, junk) }),
    fc.record({ timestamp: hostileDate }),
    fc.record({ schemaVersion: fc.oneof(fc.integer({ min: -2, max: 5 }), junk) }),
    fc.record({ metadata: fc.oneof(fc.dictionary(hostileString, hostileJson, { maxKeys: 3 }), junk) }),
    fc.record({ data: fc.oneof(hostileJson, junk) }),
    fc.record({ eventType: fc.constant('Noted'), data: fc.record({ n: fc.integer(), text: hostileString, extra: hostileJson }) }),
  )
  .map((change) => () => ({ eventId: randomUUID(), eventType: 'Anything', timestamp: new Date(), schemaVersion: 1, metadata: {}, data: { a: 1 }, ...change }));

/** An event as a caller could pass it: made by create(), hand-built with an odd field, or junk. */
export const hostileEvent: fc.Arbitrary<() => unknown> = fc.oneof(
  hostileJson.map((data) => () => Anything.create(data as Parameters<typeof Anything.create>[0])),
  fc.record({ n: fc.integer(), text: hostileString }).map((data) => () => Noted.create(data)),
  { weight: 3, arbitrary: mutated },
  junk.map((value) => () => value),
);

/** How a call ended: a result, or an eventuali error's code; anything else is a finding. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; code: string };

export async function call<T>(fn: () => Promise<T> | T): Promise<CallOutcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (isEventualiError(error)) return { ok: false, code: error.code };
    throw new Error(`untyped error: ${describe(error)}`, { cause: error });
  }
}

/** An envelope as the store must hold it: JSON round-trips data and metadata. */
export function stored(event: Event): Record<string, unknown> {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    aggregateId: event.aggregateId,
    aggregateType: event.aggregateType,
    aggregateVersion: event.aggregateVersion,
    globalPosition: event.globalPosition,
    timestamp: event.timestamp.getTime(),
    data: asStored(event.data),
    metadata: asStored(event.metadata),
  };
}
