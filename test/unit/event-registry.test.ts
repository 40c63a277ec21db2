import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventRegistry } from '../../src/core/event-registry.js';
import { defineEvent, EventStore, UnknownEventTypeError } from '../../src/index.js';
import type { EventRecord } from '../../src/store/event-log.js';

const Noted = defineEvent('RegNoted', z.object({ at: z.date() }));

function record(eventType: string, position: bigint, data: string): EventRecord {
  return {
    eventId: `e-${position}`,
    eventType,
    schemaVersion: 1,
    timestamp: new Date(0),
    metadata: '{}',
    data,
    aggregateId: 'a-1',
    aggregateType: 'Note',
    aggregateVersion: Number(position),
    globalPosition: position,
  };
}

describe('EventRegistry', () => {
  it('accepts the same definition twice but refuses another definition of a registered type', () => {
    const registry = new EventRegistry({ validate: true }, 'error');
    registry.register(Noted);
    registry.register(Noted);
    expect(registry.get('RegNoted')?.definition).toBe(Noted);
    const impostor = defineEvent('RegNoted', z.object({ at: z.string() }));
    expect(() => registry.register(impostor)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(registry.get('RegNoted')?.definition).toBe(Noted);
  });

  it('decodes registered types with their schema', () => {
    const registry = new EventRegistry({ validate: true }, 'error');
    registry.register(Noted);
    const [event] = registry.decodeAll([record('RegNoted', 3n, '{"at":"2024-01-01T00:00:00.000Z"}')]);
    expect(event?.data).toEqual({ at: new Date('2024-01-01T00:00:00.000Z') });
  });

  it("throws UnknownEventTypeError naming the type and position under 'error'", () => {
    const registry = new EventRegistry({ validate: true }, 'error');
    let error: unknown;
    try {
      registry.decode(record('RegMissing', 5n, '{}'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', eventType: 'RegMissing', globalPosition: 5n });
  });

  it("returns unknown types undecoded under 'raw', and lets one call insist on 'error'", () => {
    const registry = new EventRegistry({ validate: true }, 'raw');
    const raw = record('RegMissing', 6n, '{"at":"2024-01-01T00:00:00.000Z"}');
    expect(registry.decode(raw).data).toEqual({ at: '2024-01-01T00:00:00.000Z' });
    expect(() => registry.decodeAll([raw], 'error')).toThrow(UnknownEventTypeError);
  });
});

describe('EventStore.register', () => {
  it('is chainable and refuses a second definition of the same type', () => {
    const store = new EventStore();
    expect(store.register(Noted)).toBe(store);
    expect(() => store.register(defineEvent('RegNoted', z.object({})))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
