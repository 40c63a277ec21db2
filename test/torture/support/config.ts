/**
 * Torture-suite sizing: `npm test` runs a bounded quick mode; `npm run torture` (TORTURE=full)
 * scales rounds and sizes up. Every test reads its numbers from here.
 */
export const FULL = process.env['TORTURE'] === 'full';

/** The quick value under `npm test`, the full one under `npm run torture`. */
export function scale<T>(quick: T, full: T): T {
  return FULL ? full : quick;
}

/** Test timeout: generous bounds, never a timing assertion. */
export const TIMEOUT_MS = scale(150_000, 1_500_000);
