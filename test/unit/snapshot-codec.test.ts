import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../../src/core/snapshot-codec.js';

const AT = new Date('2024-01-02T03:04:05.678Z');

function roundTrip<T>(state: T): unknown {
  const json = encodeSnapshot(state);
  expect(typeof json).toBe('string');
  return decodeSnapshot(json);
}

describe('snapshot codec', () => {
  it('round-trips plain JSON state unchanged', () => {
    const state = { name: 'ann', count: 3, active: true, tags: ['a', 'b'], nested: { n: null } };
    expect(roundTrip(state)).toEqual(state);
  });

  it('round-trips Dates and bigints at any depth', () => {
    const state = { openedAt: AT, limit: 2n ** 80n, history: [{ at: AT, amount: -7n }], top: 0n };
    const decoded = roundTrip(state) as typeof state;
    expect(decoded).toEqual(state);
    expect(decoded.openedAt).toBeInstanceOf(Date);
    expect(decoded.history[0]?.at).toBeInstanceOf(Date);
    expect(typeof decoded.limit).toBe('bigint');
  });

  it('round-trips a top-level Date or bigint', () => {
    expect(roundTrip(AT)).toEqual(AT);
    expect(roundTrip(42n)).toBe(42n);
  });

  it('round-trips Maps and Sets, including Dates and bigints inside them', () => {
    const state = {
      stock: new Map<string, bigint>([['apple', 3n], ['pear', 0n]]),
      byDate: new Map<Date, { at: Date }>([[AT, { at: AT }]]),
      ids: new Set(['a', 'b']),
      amounts: new Set([1n, 2n]),
      nested: new Map([['inner', new Set([AT])]]),
    };
    const decoded = roundTrip(state) as typeof state;
    expect(decoded.stock).toBeInstanceOf(Map);
    expect([...decoded.stock]).toEqual([['apple', 3n], ['pear', 0n]]);
    expect([...decoded.byDate]).toEqual([[AT, { at: AT }]]);
    expect(decoded.ids).toEqual(new Set(['a', 'b']));
    expect(decoded.amounts).toEqual(new Set([1n, 2n]));
    const inner = decoded.nested.get('inner');
    expect(inner).toBeInstanceOf(Set);
    expect([...(inner ?? [])][0]).toEqual(AT);
  });

  it('keeps a string that looks like a date or a number a string', () => {
    const state = { iso: AT.toISOString(), digits: '12345' };
    expect(roundTrip(state)).toEqual(state);
  });

  it('rejects state that cannot be serialized with INVALID_ARGUMENT', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => encodeSnapshot(cyclic)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
