import type { z } from 'zod';

/**
 * Stored event data is plain JSON: Dates become ISO strings and bigints decimal strings. A reviver,
 * compiled once per schema, turns them back where the schema declares a Date or a bigint, so zod
 * can validate the stored value. `null` means the schema has no such field: JSON.parse is enough.
 */
export type Reviver = (value: unknown) => unknown;

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

// What Date#toJSON writes (plus an offset, or a date alone): looser strings stay strings.
const ISO_DATE = /^[+-]?\d{4,6}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function reviveDate(value: unknown): unknown {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date;
}

function reviveBigint(value: unknown): unknown {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return value;
  return BigInt(value);
}

/** Compiles the reviver of a schema; `null` when the schema holds no Date or bigint. */
export function compileReviver(schema: z.ZodType): Reviver | null {
  return compileCached(schema, new Map());
}

interface Compiled {
  reviver: Reviver | null;
  done: boolean;
}

function compileCached(schema: z.ZodType, seen: Map<z.ZodType, Compiled>): Reviver | null {
  const entry = seen.get(schema);
  if (entry) {
    if (entry.done) return entry.reviver;
    // A cycle (recursive schema): defer to what this schema compiles to, once it has.
    return (v) => (entry.reviver ?? identity)(v);
  }
  if (!needsRevival(schema, new Set())) return null;
  const compiled: Compiled = { reviver: null, done: false };
  seen.set(schema, compiled);
  compiled.reviver = compile(schema, seen);
  compiled.done = true;
  return compiled.reviver;
}

const NOT_JSON: Record<string, string> = {
  map: 'z.map()',
  set: 'z.set()',
  symbol: 'z.symbol()',
  function: 'z.function()',
  promise: 'z.promise()',
  transform: '.transform()',
  file: 'z.file()',
  nan: 'z.nan()',
};

/**
 * Names the first part of a schema whose values JSON cannot store faithfully (a Map, a Set, a
 * transform whose output the schema would then reject on read…), or undefined when there is none.
 */
export function unsupportedJsonType(schema: z.ZodType, visiting = new Set<z.ZodType>()): string | undefined {
  if (visiting.has(schema)) return undefined;
  visiting.add(schema);
  const def = defOf(schema);
  const found = NOT_JSON[def.type];
  if (found) return found;
  const children = childrenOf(def);
  if (def.type === 'lazy' && def.getter) children.push(def.getter());
  for (const child of children) {
    const inner = child ? unsupportedJsonType(child, visiting) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

function childrenOf(def: Def): (z.ZodType | null | undefined)[] {
  return [
    def.innerType,
    def.element,
    def.valueType,
    def.rest,
    def.in,
    def.out,
    def.left,
    def.right,
    ...(def.options ?? []),
    ...(def.items ?? []),
    ...Object.values(def.shape ?? {}),
  ];
}

/** True when a Date or bigint is reachable from the schema (cycles count once). */
function needsRevival(schema: z.ZodType, visiting: Set<z.ZodType>): boolean {
  if (visiting.has(schema)) return false;
  visiting.add(schema);
  const def = defOf(schema);
  if (def.type === 'date' || def.type === 'bigint') return true;
  const children = childrenOf(def);
  if (def.type === 'lazy' && def.getter) children.push(def.getter());
  return children.some((child) => child != null && needsRevival(child, visiting));
}

function compile(schema: z.ZodType, seen: Map<z.ZodType, Compiled>): Reviver | null {
  const def = defOf(schema);
  switch (def.type) {
    case 'date':
      return reviveDate;
    case 'bigint':
      return reviveBigint;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch': {
      const inner = def.innerType ? compileCached(def.innerType, seen) : null;
      return inner && ((v: unknown) => (v === null || v === undefined ? v : inner(v)));
    }
    case 'pipe':
      return def.in ? compileCached(def.in, seen) : null;
    case 'lazy':
      return def.getter ? compileCached(def.getter(), seen) : null;
    case 'array': {
      const element = def.element ? compileCached(def.element, seen) : null;
      return element && ((v: unknown) => (Array.isArray(v) ? v.map(element) : v));
    }
    case 'tuple': {
      const items = (def.items ?? []).map((item) => compileCached(item, seen));
      const rest = def.rest ? compileCached(def.rest, seen) : null;
      if (!rest && items.every((i) => i === null)) return null;
      return (v: unknown) =>
        Array.isArray(v) ? v.map((x, i) => (i < items.length ? (items[i] ?? identity)(x) : (rest ?? identity)(x))) : v;
    }
    case 'record': {
      const value = def.valueType ? compileCached(def.valueType, seen) : null;
      return (
        value &&
        ((v: unknown) => {
          if (!isPlainObject(v)) return v;
          const out: Record<string, unknown> = {};
          for (const key of Object.keys(v)) out[key] = value(v[key]);
          return out;
        })
      );
    }
    case 'object': {
      const fields: [string, Reviver][] = [];
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const r = compileCached(field, seen);
        if (r) fields.push([key, r]);
      }
      if (fields.length === 0) return null;
      return (v: unknown) => {
        if (!isPlainObject(v)) return v;
        const out: Record<string, unknown> = { ...v };
        for (const [key, r] of fields) if (key in out) out[key] = r(out[key]);
        return out;
      };
    }
    case 'union': {
      const options = def.options ?? [];
      const revivers = options.map((o) => compileCached(o, seen));
      if (revivers.every((r) => r === null)) return null;
      // Take the first option the revived value satisfies; fall back to the value unchanged.
      return (v: unknown) => {
        for (let i = 0; i < options.length; i++) {
          const candidate = (revivers[i] ?? identity)(v);
          if ((options[i] as z.ZodType).safeParse(candidate).success) return candidate;
        }
        return v;
      };
    }
    case 'intersection': {
      const left = def.left ? compileCached(def.left, seen) : null;
      const right = def.right ? compileCached(def.right, seen) : null;
      if (!left && !right) return null;
      return (v: unknown) => (right ?? identity)((left ?? identity)(v));
    }
    default:
      return null;
  }
}

const identity: Reviver = (v) => v;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
