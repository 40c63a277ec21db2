import type { z } from 'zod';
import { InvalidArgumentError } from './errors.js';

/**
 * `schema.safeParse(data)`, with data nested too deeply for the validator's recursion (a
 * `RangeError` from the call stack) refused as `InvalidArgumentError` instead of escaping raw.
 */
export function safeParseData<T extends z.ZodType>(schema: T, data: unknown, what: string): z.ZodSafeParseResult<z.output<T>> {
  try {
    return schema.safeParse(data);
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidArgumentError(what, 'is nested too deeply to validate');
    throw error;
  }
}
