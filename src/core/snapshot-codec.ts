import { InvalidArgumentError } from './errors.js';

/**
 * Snapshots hold aggregate state, which has no schema, so Dates, bigints, Maps and Sets are tagged
 * in the JSON (`{ "$eventuali": "date", "value": … }`) and restored on read.
 */
const TAG = '$eventuali';

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return { [TAG]: 'date', value: original.toISOString() };
  if (typeof value === 'bigint') return { [TAG]: 'bigint', value: value.toString() };
  if (value instanceof Map) return { [TAG]: 'map', value: [...value.entries()] };
  if (value instanceof Set) return { [TAG]: 'set', value: [...value.values()] };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(TAG in value)) return value;
  const tagged = value as { [TAG]: string; value: unknown };
  switch (tagged[TAG]) {
    case 'date':
      return new Date(tagged.value as string);
    case 'bigint':
      return BigInt(tagged.value as string);
    case 'map':
      return new Map(tagged.value as [unknown, unknown][]);
    case 'set':
      return new Set(tagged.value as unknown[]);
    default:
      return value;
  }
}

export function encodeSnapshot(state: unknown): string {
  try {
    return JSON.stringify(state, replacer);
  } catch (error) {
    throw new InvalidArgumentError('snapshot state', `is not serializable (${(error as Error).message})`);
  }
}

export function decodeSnapshot(json: string): unknown {
  return JSON.parse(json, reviver);
}
