import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileReviver } from '../../src/core/json-reviver.js';

const AT = new Date('2024-01-02T03:04:05.678Z');
const LATER = new Date('2025-06-07T08:09:10.111Z');
const BIG = 2n ** 70n;

/** What a stored value looks like after JSON: Dates as ISO strings, bigints as decimal strings. */
function stored(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** Revives the stored form of `value` through the schema's compiled reviver, then lets zod parse it. */
function roundTrip<S extends z.ZodType>(schema: S, value: z.output<S>): z.output<S> {
  const reviver = compileReviver(schema);
  const json = stored(value);
  return schema.parse(reviver ? reviver(json) : json);
}

describe('compileReviver', () => {
  it('revives top-level Dates and bigints', () => {
    expect(roundTrip(z.date(), AT)).toEqual(AT);
    expect(roundTrip(z.bigint(), BIG)).toBe(BIG);
    expect(roundTrip(z.bigint(), -5n)).toBe(-5n);
  });

  it('revives fields of objects, nested objects and arrays', () => {
    const schema = z.object({
      name: z.string(),
      at: z.date(),
      amount: z.bigint(),
      nested: z.object({ when: z.date(), list: z.array(z.bigint()) }),
      dates: z.array(z.date()),
    });
    const value = { name: 'x', at: AT, amount: BIG, nested: { when: LATER, list: [1n, -2n] }, dates: [AT, LATER] };
    expect(roundTrip(schema, value)).toEqual(value);
  });

  it('revives optional, nullable, default, readonly and catch wrappers, and leaves null/absent alone', () => {
    const schema = z.object({
      opt: z.date().optional(),
      nul: z.bigint().nullable(),
      def: z.date().default(() => LATER),
      ro: z.array(z.date()).readonly(),
      safe: z.date().catch(() => LATER),
    });
    const full = { opt: AT, nul: 3n, def: AT, ro: [AT], safe: AT };
    expect(roundTrip(schema, full)).toEqual(full);
    const sparse = compileReviver(schema)?.({ nul: null, ro: [] });
    expect(sparse).toEqual({ nul: null, ro: [] });
    expect(schema.parse(sparse)).toEqual({ nul: null, ro: [], def: LATER, safe: LATER });
  });

  it('revives record values', () => {
    const schema = z.record(z.string(), z.object({ at: z.date(), n: z.bigint() }));
    const value = { a: { at: AT, n: 1n }, b: { at: LATER, n: BIG } };
    expect(roundTrip(schema, value)).toEqual(value);
  });

  it('revives tuple items by position, and a rest element', () => {
    const schema = z.tuple([z.string(), z.date(), z.bigint()], z.date());
    const value: [string, Date, bigint, ...Date[]] = ['2024-01-01T00:00:00.000Z', AT, 9n, LATER, AT];
    const result = roundTrip(schema, value);
    expect(result).toEqual(value);
    expect(typeof result[0]).toBe('string');
  });

  it('revives the matching option of a union', () => {
    const schema = z.object({ value: z.union([z.number(), z.date()]), id: z.union([z.bigint(), z.null()]) });
    expect(roundTrip(schema, { value: AT, id: 4n })).toEqual({ value: AT, id: 4n });
    expect(roundTrip(schema, { value: 7, id: null })).toEqual({ value: 7, id: null });
  });

  it('keeps a plain string a string in a union of Date and string', () => {
    const schema = z.object({ due: z.union([z.date(), z.string()]) });
    for (const text of ['Room 12', 'Order 5', '12', 'someday']) {
      expect(roundTrip(schema, { due: text })).toEqual({ due: text });
    }
    expect(roundTrip(schema, { due: AT })).toEqual({ due: AT });
  });

  it('revives discriminated unions by their branch', () => {
    const schema = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('at'), at: z.date() }),
      z.object({ kind: z.literal('big'), n: z.bigint() }),
      z.object({ kind: z.literal('text'), text: z.string() }),
    ]);
    expect(roundTrip(schema, { kind: 'at', at: AT })).toEqual({ kind: 'at', at: AT });
    expect(roundTrip(schema, { kind: 'big', n: BIG })).toEqual({ kind: 'big', n: BIG });
    expect(roundTrip(schema, { kind: 'text', text: '12' })).toEqual({ kind: 'text', text: '12' });
  });

  it('revives both sides of an intersection', () => {
    const schema = z.intersection(z.object({ at: z.date() }), z.object({ n: z.bigint() }));
    expect(roundTrip(schema, { at: AT, n: 5n })).toEqual({ at: AT, n: 5n });
  });

  it('revives through lazy schemas and pipes', () => {
    const lazy = z.lazy(() => z.object({ at: z.date() }));
    expect(roundTrip(lazy, { at: AT })).toEqual({ at: AT });
    const piped = z.object({ at: z.date().transform((d) => d.getTime()) });
    const reviver = compileReviver(piped);
    expect(piped.parse(reviver?.(stored({ at: AT })))).toEqual({ at: AT.getTime() });
  });

  it('revives Dates at every depth of a recursive z.lazy schema', () => {
    interface Node {
      at: Date;
      children: Node[];
    }
    const NodeSchema: z.ZodType<Node> = z.object({ at: z.date(), children: z.array(z.lazy(() => NodeSchema)) });
    const tree: Node = { at: AT, children: [{ at: LATER, children: [{ at: AT, children: [] }] }] };
    expect(roundTrip(NodeSchema, tree)).toEqual(tree);
  });

  it('revives bigints at every depth of a recursive getter schema', () => {
    const Category = z.object({
      id: z.bigint(),
      get parent(): z.ZodOptional<typeof Category> {
        return Category.optional();
      },
    });
    const value = { id: 1n, parent: { id: 2n, parent: { id: BIG } } };
    expect(roundTrip(Category, value)).toEqual(value);
  });

  it('compiles schemas without a Date or bigint to null (JSON.parse is enough)', () => {
    expect(compileReviver(z.string())).toBeNull();
    expect(compileReviver(z.object({ a: z.string(), b: z.array(z.number()), c: z.record(z.string(), z.boolean()) }))).toBeNull();
    expect(compileReviver(z.union([z.string(), z.object({ n: z.number() })]))).toBeNull();
    expect(compileReviver(z.tuple([z.string(), z.number()]))).toBeNull();
    expect(compileReviver(z.string().optional().nullable().default('x'))).toBeNull();
    expect(compileReviver(z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })))).toBeNull();
  });

  it('compiles a recursive schema without a Date or bigint to null', () => {
    interface Tree {
      name: string;
      children: Tree[];
    }
    const TreeSchema: z.ZodType<Tree> = z.object({ name: z.string(), children: z.array(z.lazy(() => TreeSchema)) });
    expect(compileReviver(TreeSchema)).toBeNull();
  });

  it('leaves strings that are not dates or integers as they are, so zod reports them', () => {
    const schema = z.object({ at: z.date(), n: z.bigint(), note: z.string() });
    const reviver = compileReviver(schema);
    const revived = reviver?.({ at: 'not a date', n: '1.5', note: '2024-01-01T00:00:00.000Z' });
    expect(revived).toEqual({ at: 'not a date', n: '1.5', note: '2024-01-01T00:00:00.000Z' });
    expect(schema.safeParse(revived).success).toBe(false);
  });

  it('keeps a string field that looks like a date a string next to a Date field', () => {
    const schema = z.object({ at: z.date(), label: z.string() });
    expect(roundTrip(schema, { at: AT, label: AT.toISOString() })).toEqual({ at: AT, label: AT.toISOString() });
  });

  it('passes values of the wrong JSON kind through untouched', () => {
    const reviver = compileReviver(z.object({ list: z.array(z.date()), at: z.date() }));
    expect(reviver?.(null)).toBeNull();
    expect(reviver?.([1, 2])).toEqual([1, 2]);
    expect(reviver?.({ list: 'x', at: 5 })).toEqual({ list: 'x', at: 5 });
  });

  it('does not mutate the parsed input', () => {
    const input = { at: AT.toISOString() };
    compileReviver(z.object({ at: z.date() }))?.(input);
    expect(input).toEqual({ at: AT.toISOString() });
  });
});
