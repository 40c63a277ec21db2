import { compileReviver } from '../core/json-reviver.js';
import { isZodSchema, validateValue } from '../core/schema.js';
import type { SagaDefinition } from './define-saga.js';

/** The stored input, with the Dates and bigints its schema declares restored (as start() saw it). */
export function reviveInput(definition: SagaDefinition<unknown>, stored: unknown): unknown {
  if (!definition.input) return stored;
  const revived = isZodSchema(definition.input) ? (compileReviver(definition.input)?.(stored) ?? stored) : stored;
  const result = validateValue(definition.input, revived, 'stored saga input');
  return result.success ? result.data : revived;
}
