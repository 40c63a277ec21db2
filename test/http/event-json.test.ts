import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventStore, InvalidArgumentError } from '../../src/index.js';
import { eventFromJson, eventToJson } from '../../src/http.js';

const Priced = defineEvent('Priced', z.object({ cents: z.bigint(), at: z.date(), note: z.string() }));

async function storedEvent() {
  const store = await EventStore.create('memory:');
  try {
    const event = Priced.create({ cents: 12345678901234567890n, at: new Date('2025-03-01T10:00:00.000Z'), note: 'ok' }, { metadata: { correlationId: 'c-1' } });
    await store.append('Price', 'p-1', 'no-stream', [event]);
    const [stored] = await store.loadEvents('p-1');
    return stored!;
  } finally {
    await store.close();
  }
}

describe('eventToJson / eventFromJson', () => {
  it('makes an envelope JSON.stringify accepts: positions and bigints as decimal strings, dates as ISO', async () => {
    const event = await storedEvent();
    expect(() => JSON.stringify(event)).toThrow(TypeError);
    const json = eventToJson(event);
    expect(json).toMatchObject({
      eventType: 'Priced',
      aggregateId: 'p-1',
      aggregateVersion: 1,
      globalPosition: event.globalPosition.toString(),
      timestamp: event.timestamp.toISOString(),
      metadata: { correlationId: 'c-1' },
      data: { cents: '12345678901234567890', at: '2025-03-01T10:00:00.000Z', note: 'ok' },
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('reads the envelope back from the object or the text, data left as JSON', async () => {
    const event = await storedEvent();
    const json = eventToJson(event);
    for (const input of [json, JSON.stringify(json)]) {
      const back = eventFromJson(input);
      expect(back).toEqual({ ...event, data: json.data });
      expect(typeof back.globalPosition).toBe('bigint');
      expect(back.timestamp).toBeInstanceOf(Date);
      expect(Priced.schema.parse({ ...(back.data as object), cents: BigInt((back.data as { cents: string }).cents), at: new Date((back.data as { at: string }).at) }).note).toBe('ok');
    }
  });

  it('refuses what is not an event envelope, naming the field', async () => {
    const json = eventToJson(await storedEvent());
    const cases: [unknown, RegExp][] = [
      [null, /expected an object/],
      [[json], /expected an object/],
      ['{not json', /is not JSON/],
      [{ ...json, globalPosition: 5 }, /globalPosition/],
      [{ ...json, globalPosition: '-1' }, /globalPosition/],
      [{ ...json, timestamp: 'yesterday' }, /timestamp/],
      [{ ...json, aggregateVersion: -1 }, /aggregateVersion/],
      [{ ...json, eventId: '' }, /eventId/],
      [{ ...json, metadata: 'x' }, /metadata/],
      [{ ...json, data: undefined }, /data/],
    ];
    for (const [input, message] of cases) {
      const withoutData = input !== null && typeof input === 'object' && 'data' in input && (input as { data?: unknown }).data === undefined;
      if (withoutData) delete (input as { data?: unknown }).data;
      expect(() => eventFromJson(input)).toThrow(InvalidArgumentError);
      expect(() => eventFromJson(input)).toThrow(message);
    }
  });
});
