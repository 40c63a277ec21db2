import { InvalidArgumentError } from '../core/errors.js';

/**
 * A pino-compatible logger: each method takes the structured fields first, then the message.
 * pino, bunyan-style wrappers and `console`-backed adapters fit; the store only calls these four.
 *
 * @example
 * import pino from 'pino';
 * const store = await EventStore.create(url, { logger: pino() });
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** The levels a `Logger` has, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Throws `InvalidArgumentError` unless `value` has the four methods of a `Logger`. */
export function checkLogger(value: unknown): asserts value is Logger {
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError('logger', 'must be an object with debug, info, warn and error methods');
  for (const level of LOG_LEVELS) {
    if (typeof (value as Record<string, unknown>)[level] !== 'function') {
      throw new InvalidArgumentError('logger', `must have a ${level}(fields, message) method (a pino-compatible logger)`);
    }
  }
}
