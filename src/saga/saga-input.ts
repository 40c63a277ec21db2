import { compileReviver } from '../core/json-reviver.js';
import type { SagaDefinition } from './define-saga.js';

/** The stored input, with the Dates and bigints its schema declares restored (as start() saw it). */
export function reviveInput(definition: SagaDefinition<unknown>, stored: unknown): unknown {
  if (!definition.input) return stored;
  const revived = compileReviver(definition.input)?.(stored) ?? stored;
  const result = definition.input.safeParse(revived);
  return result.success ? result.data : revived;
}
