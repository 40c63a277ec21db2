/**
 * The equality of vitest's and jest's `toEqual` and `toMatchObject`, for runners that have no
 * `expect` of their own (node:test). `toEqual` is recursive and ignores properties whose value is
 * `undefined` and the classes of plain objects (an instance equals an object literal with its
 * fields), but not the kind of a value: a Date equals only a Date of the same time, an array only
 * an array of the same length.
 */

type Pairs = [unknown, unknown][];

/** `toEqual`: the same value, recursively; properties set to `undefined` count as absent. */
export function looselyEqual(actual: unknown, expected: unknown): boolean {
  return equal(actual, expected, []);
}

/**
 * `toMatchObject`: every property of `expected` is in `actual` (own or inherited, getters too)
 * and matches it recursively; arrays match element by element and have the same length; other
 * values compare as `toEqual` does.
 */
export function matchesObject(actual: unknown, expected: unknown): boolean {
  return subset(actual, expected, []);
}

function equal(a: unknown, b: unknown, seen: Pairs): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const kind = Object.prototype.toString.call(a);
  if (kind !== Object.prototype.toString.call(b)) return false;
  if (seen.some(([x, y]) => x === a && y === b)) return true;
  seen = [...seen, [a, b]];
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  if (a instanceof Error && (a.name !== (b as Error).name || a.message !== (b as Error).message)) return false;
  if (a instanceof Map) {
    const other = b as Map<unknown, unknown>;
    if (a.size !== other.size) return false;
    for (const [key, value] of a) if (!other.has(key) || !equal(value, other.get(key), seen)) return false;
    return true;
  }
  if (a instanceof Set) {
    const rest = [...(b as Set<unknown>)];
    if (a.size !== rest.length) return false;
    for (const value of a) {
      const i = rest.findIndex((candidate) => equal(value, candidate, seen));
      if (i === -1) return false;
      rest.splice(i, 1);
    }
    return true;
  }
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equal(x[i], y[i], seen)) return false;
    // Arrays may carry named properties too; compared below like an object's.
  }
  const keysA = definedKeys(a);
  const keysB = definedKeys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => keysB.includes(key) && equal((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], seen));
}

function subset(actual: unknown, expected: unknown, seen: Pairs): boolean {
  if (typeof expected !== 'object' || expected === null || !isPlainOrArray(expected)) return equal(actual, expected, seen);
  if (typeof actual !== 'object' || actual === null) return false;
  if (seen.some(([x, y]) => x === actual && y === expected)) return true;
  seen = [...seen, [actual, expected]];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    return expected.every((item, i) => subset(actual[i], item, seen));
  }
  return Reflect.ownKeys(expected).every(
    (key) => key in actual && subset((actual as Record<PropertyKey, unknown>)[key], (expected as Record<PropertyKey, unknown>)[key], seen),
  );
}

/** Own enumerable keys (and symbols) whose value is not `undefined`; array indexes are compared apart. */
function definedKeys(value: object): PropertyKey[] {
  const keys: PropertyKey[] = Array.isArray(value) || ArrayBuffer.isView(value) ? Object.keys(value).filter((k) => !/^\d+$/.test(k)) : Object.keys(value);
  for (const symbol of Object.getOwnPropertySymbols(value)) if (Object.prototype.propertyIsEnumerable.call(value, symbol)) keys.push(symbol);
  return keys.filter((key) => (value as Record<PropertyKey, unknown>)[key] !== undefined);
}

/** Objects `toMatchObject` walks into: arrays and objects of no special kind (not a Date, Map, RegExp…). */
function isPlainOrArray(value: object): boolean {
  if (Array.isArray(value)) return true;
  return Object.prototype.toString.call(value) === '[object Object]';
}
