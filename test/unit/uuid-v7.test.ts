import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/core/uuid-v7.js';
import { Aggregate, defineEvent } from '../../src/index.js';
import { z } from 'zod';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('makes RFC 9562 version 7 ids whose first 48 bits are the milliseconds', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(V7);
    expect(id.slice(0, 13)).toBe('01234567-89ab');
    expect(uuidv7(0).slice(0, 13)).toBe('00000000-0000');
  });

  it('sorts ids of later milliseconds after earlier ones, and never repeats', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 20_000 }, () => uuidv7())).size).toBe(20_000);
  });

  it('is the default event id and aggregate id', () => {
    class Thing extends Aggregate {}
    expect(new Thing().id).toMatch(V7);
    expect(defineEvent('UuidThing', z.object({})).create({}).eventId).toMatch(V7);
  });
});
