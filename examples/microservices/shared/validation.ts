import { z } from 'zod';

/** Where a bad value came from. */
export type InputPart = 'body' | 'params' | 'query';

/** A request failed its zod schema: answered 400 with zod's issues. */
export class RequestValidationError extends Error {
  readonly code = 'INVALID_REQUEST';

  constructor(readonly part: InputPart, readonly issues: z.core.$ZodIssue[]) {
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.map(String).join('.')}` : '';
    super(`Invalid request ${part}${where}: ${first?.message ?? 'invalid'}`);
    this.name = 'RequestValidationError';
  }
}

/** Parses a request part with a zod schema; throws RequestValidationError (→ 400) on failure. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: InputPart): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError(part, result.error.issues);
  return result.data;
}

/** Ids in paths and bodies: what the stores accept, and nothing that needs escaping in a log or URL. */
export const Id = z.string().regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'must be 1-200 letters, digits or . _ : @ -');

/** `/:id` route params. */
export const IdParams = z.object({ id: Id });

// NUL and unpaired UTF-16 surrogates: no event store accepts them (PostgreSQL's jsonb cannot hold
// them, so eventuali refuses them on every database). Refused here, the 400 names the field.
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Any string the event store can hold: no NUL character, no unpaired surrogate. */
export const StorableString = () =>
  z.string().refine((s) => !UNSTORABLE.test(s), 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates');

/** Short free text (names, reasons, carriers). */
export const Text = (max = 200) => StorableString().trim().min(1).max(max);
