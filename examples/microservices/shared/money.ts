import { z } from 'zod';

/**
 * Money is kept as integer cents and rendered as a decimal string ("30.50"): never a binary
 * floating point sum. The caps keep every total a safe integer.
 */

/** Largest unit price a request may carry: 1,000,000.00. */
export const MAX_PRICE_CENTS = 100_000_000;

/** Cents as stored in events: a non-negative safe integer. */
export const Cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Cents of a price given as a number (15.25) or a decimal string ("15.25"); null when it is not one. */
export function toCents(value: number | string): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents <= MAX_PRICE_CENTS ? cents : null;
}

/** "30.50" for 3050. */
export function formatCents(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  return `${cents < 0 && whole === 0 ? '-' : ''}${whole}.${String(rest).padStart(2, '0')}`;
}

/** A request's price: a number or a decimal string with at most two decimals, up to 1,000,000.00; parses to cents. */
export const PriceInput = z.union([z.number(), z.string().max(20)]).transform((value, ctx) => {
  const cents = toCents(value);
  if (cents === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an amount like 15.25 or "15.25": at most two decimals, from 0 to 1000000.00',
    });
    return z.NEVER;
  }
  return cents;
});
