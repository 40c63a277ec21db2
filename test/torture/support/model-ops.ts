import fc from 'fast-check';

/**
 * The operations the model-based tests generate. They hold choices (an aggregate by index, "a
 * stale version", "a stored event id"), which the runner resolves against the model's state.
 */

/** Aggregate ids, with SQL metacharacters, bidi controls, emoji and combining marks. */
export const AGGREGATE_IDS = ['plain-1', `o'brien"; DROP TABLE events; --`, 'rtl-\u202Eevil\u202C-שלום', 'emoji-😀-e\u0301-%_\\'];
export const HOME_TYPE = 'Thing';
export const OTHER_TYPE = 'Other';
export const SUBSCRIPTIONS = [
  { id: 'sub-all', eventTypes: undefined },
  { id: "sub-'tagged'", eventTypes: ['Tagged'] },
] as const;

export interface EventSpec {
  /** null: a new id; 'stored': the id of a stored event (a duplicate); 'batch': an id used earlier in this batch. */
  reuse: null | 'stored' | 'batch';
  pick: number;
  type: 'Noted' | 'Tagged';
  n: number;
  text: string;
  tags: string[];
  payload: unknown;
  correlation: string | null;
}

export type Op =
  | { kind: 'append'; agg: number; otherType: boolean; expect: 'right' | 'stale' | 'ahead' | 'any' | 'no-stream'; events: EventSpec[] }
  | { kind: 'retry'; pick: number }
  | { kind: 'readStream'; agg: number; from: number; to: number | null }
  | { kind: 'readAll'; skipPercent: number; limit: number; filter: 'none' | 'Noted' | 'Tagged' | 'Thing' | 'Other' }
  | { kind: 'position'; agg: number }
  | { kind: 'counter'; id: number; increments: number[] }
  | { kind: 'loadCounter'; id: number }
  | { kind: 'snapshot'; id: number; aggregateVersion: number; snapshotVersion: number; state: unknown }
  | { kind: 'subscribe'; sub: number };

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' });
const agg = fc.nat({ max: AGGREGATE_IDS.length - 1 });

const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  reuse: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, fc.constant('stored' as const), fc.constant('batch' as const)),
  pick: fc.nat(),
  type: fc.constantFrom('Noted' as const, 'Tagged' as const),
  n: fc.integer(),
  text,
  tags: fc.array(text, { maxLength: 3 }),
  payload: json,
  correlation: fc.option(text, { nil: null }),
});

const appendOp: fc.Arbitrary<Op> = fc.record({
    kind: fc.constant('append' as const),
    agg,
    otherType: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, fc.constant(true)),
    expect: fc.constantFrom('right' as const, 'right' as const, 'stale' as const, 'ahead' as const, 'any' as const, 'no-stream' as const),
    events: fc.array(eventSpec, { minLength: 0, maxLength: 4 }),
});

/** Appends weigh most (fast-check picks among these uniformly). */
export const OP_ARBITRARIES: fc.Arbitrary<Op>[] = [
  appendOp,
  appendOp,
  appendOp,
  fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('readStream' as const), agg, from: fc.integer({ min: 1, max: 6 }), to: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }) }),
  fc.record({
    kind: fc.constant('readAll' as const),
    skipPercent: fc.integer({ min: 0, max: 100 }),
    limit: fc.integer({ min: 1, max: 7 }),
    filter: fc.constantFrom('none' as const, 'Noted' as const, 'Tagged' as const, 'Thing' as const, 'Other' as const),
  }),
  fc.record({ kind: fc.constant('position' as const), agg }),
  fc.record({ kind: fc.constant('counter' as const), id: fc.nat({ max: 1 }), increments: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('loadCounter' as const), id: fc.nat({ max: 1 }) }),
  fc.record({
    kind: fc.constant('snapshot' as const),
    id: fc.nat({ max: 1 }),
    aggregateVersion: fc.integer({ min: 1, max: 9 }),
    snapshotVersion: fc.integer({ min: 1, max: 2 }),
    state: json,
  }),
  fc.record({ kind: fc.constant('subscribe' as const), sub: fc.nat({ max: SUBSCRIPTIONS.length - 1 }) }),
];

/** Short text of an op for fast-check's counterexample report. */
export function describeOp(op: Op): string {
  return JSON.stringify(op, (_key, value: unknown) => (typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}…` : value));
}
