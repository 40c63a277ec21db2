import type { z } from 'zod';
import { InvalidArgumentError, type ValidationIssue } from './errors.js';
import { unsupportedJsonType } from './json-reviver.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** A schema eventuali accepts: zod's, or any other Standard Schema v1 schema (valibot, arktype…). */
export type Schema<Input = unknown, Output = Input> = StandardSchemaV1<Input, Output>;

/** The type a schema accepts. */
export type SchemaInput<S extends Schema> = StandardSchemaV1.InferInput<S>;

/** The type a schema produces. */
export type SchemaOutput<S extends Schema> = StandardSchemaV1.InferOutput<S>;

/** The outcome of `validateValue`. */
export type Validation<T> = { success: true; data: T } | { success: false; issues: ValidationIssue[] };

/** True for a zod schema: eventuali revives its Dates and bigints on read and checks it stores as JSON. */
export function isZodSchema(schema: Schema): schema is Schema & z.ZodType {
  return schema['~standard'].vendor === 'zod' && typeof (schema as { _zod?: unknown })._zod === 'object';
}

/**
 * @internal throws InvalidArgumentError unless `schema` is a synchronous Standard Schema v1 schema
 * whose values survive JSON storage (checked for zod schemas). `what` names it in the message.
 */
export function checkSchema(argument: string, what: string, schema: unknown): asserts schema is Schema {
  const props = (schema as { '~standard'?: Partial<StandardSchemaV1.Props> } | null | undefined)?.['~standard'];
  if ((typeof schema !== 'object' && typeof schema !== 'function') || typeof props?.validate !== 'function' || props.version !== 1) {
    throw new InvalidArgumentError(argument, `${what} needs a zod schema or another Standard Schema v1 schema (valibot, arktype…)`);
  }
  // valibot marks its async schemas; zod's and others' show only when a validation returns a Promise.
  if ((schema as { async?: unknown }).async === true) {
    throw new InvalidArgumentError(argument, `${what} is an async schema; eventuali validates synchronously (use the sync schema)`);
  }
  if (isZodSchema(schema as Schema)) {
    const unsupported = unsupportedJsonType(schema as z.ZodType);
    if (unsupported) {
      throw new InvalidArgumentError(argument, `${what} uses ${unsupported}, which does not survive JSON storage; describe the stored JSON shape instead`);
    }
  }
}

/**
 * Validates `value` against `schema` synchronously. A value nested too deeply for the validator's
 * recursion, and a schema that turns out to be async, are refused as `InvalidArgumentError`
 * (`what` names the value) instead of escaping raw.
 */
export function validateValue<S extends Schema>(schema: S, value: unknown, what: string): Validation<SchemaOutput<S>> {
  try {
    if (isZodSchema(schema)) {
      // zod's own entry point: its issues as they are, no Promise check on the hot path.
      const result = schema.safeParse(value);
      return result.success ? { success: true, data: result.data as SchemaOutput<S> } : { success: false, issues: result.error.issues };
    }
    const result = schema['~standard'].validate(value);
    if (typeof (result as { then?: unknown }).then === 'function') {
      // Settle it so it cannot reject unhandled; its outcome is not used.
      (result as Promise<unknown>).then(undefined, () => undefined);
      throw asyncSchema(what);
    }
    const settled = result as StandardSchemaV1.Result<SchemaOutput<S>>;
    if (settled.issues) return { success: false, issues: settled.issues.map(plainIssue) };
    return { success: true, data: settled.value };
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidArgumentError(what, 'is nested too deeply to validate');
    if (error instanceof Error && error.constructor.name === '$ZodAsyncError') throw asyncSchema(what); // an async zod refinement
    throw error;
  }
}

function asyncSchema(what: string): InvalidArgumentError {
  return new InvalidArgumentError(what, 'is checked by an async schema (an async refinement or check); eventuali validates synchronously');
}

/** A library's issue as plain data (its message, its path as keys, its code when a string): safe to serialize. */
function plainIssue(issue: StandardSchemaV1.Issue): ValidationIssue {
  const path = Array.from(issue.path ?? [], (segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment));
  const code = (issue as { code?: unknown }).code;
  return typeof code === 'string' ? { message: String(issue.message), path, code } : { message: String(issue.message), path };
}

