/**
 * A storage adapter wrapped in a Proxy that counts calls by method name (append, transaction,
 * acquireLease, readStream, …), for "store round trips per operation" figures. Methods run on the
 * real adapter (its private fields need the real `this`); calls made inside a transaction's session
 * are not counted (the transaction is).
 */
import type { StorageAdapter } from '../../src/index.js';

export interface CountingAdapter {
  adapter: StorageAdapter;
  /** Calls so far, by method name. */
  snapshot(): Record<string, number>;
}

export function countingAdapter(target: StorageAdapter): CountingAdapter {
  const counts = new Map<string, number>();
  const wrappers = new Map<PropertyKey, unknown>();
  const adapter = new Proxy(target, {
    get(real, property) {
      const value: unknown = Reflect.get(real, property, real);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const method = value as (...args: unknown[]) => unknown;
        wrapper = (...args: unknown[]) => {
          counts.set(property, (counts.get(property) ?? 0) + 1);
          return method.apply(real, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
  return { adapter, snapshot: () => Object.fromEntries(counts) };
}

/** `after − before` per method, for methods called in between. */
export function countsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(after)) {
    const delta = n - (before[name] ?? 0);
    if (delta > 0) out[name] = delta;
  }
  return out;
}
