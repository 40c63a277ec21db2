import { describeValue, InvalidArgumentError } from '../core/errors.js';
import { checkOptionsObject, checkPositiveInteger } from '../core/checks.js';
import type { DocumentCondition, DocumentOrder, DocumentQuery, DocumentScalar } from '../store/documents.js';
import { checkField, type ReadModel } from './define-read-model.js';

/** A value a filter may hold for a field of type `V` (Dates compare as the ISO strings they are stored as). */
type FilterValue<V> = V extends Date ? Date : V extends string | number | boolean | null ? V : never;

/** The operators on one field. Several in one object must all hold (`{ gte: 10, lt: 20 }`). */
export interface FieldOperators<V> {
  eq?: FilterValue<V> | null;
  in?: readonly (FilterValue<V> | null)[];
  gt?: FilterValue<V>;
  gte?: FilterValue<V>;
  lt?: FilterValue<V>;
  lte?: FilterValue<V>;
}

/**
 * Conditions on top-level fields, all of which must hold: a value (equality; `null` matches a null
 * or missing field) or operators. A field set to `undefined` adds no condition.
 */
export type DocumentWhere<Doc> = {
  [K in keyof Doc & string]?: FilterValue<Doc[K]> | null | FieldOperators<Doc[K]> | undefined;
};

/** Sort fields, in order; documents that tie are ordered by id. */
export type DocumentOrderBy<Doc> = { [K in keyof Doc & string]?: 'asc' | 'desc' };

export interface DocumentWaitOptions {
  /**
   * A global position this caller wrote (an event's `globalPosition`): first wait until the read
   * model's projection has handled it, so the read sees that write.
   */
  waitFor?: bigint;
  /** How long `waitFor` waits before `ReadModelTimeoutError` (default 5000 ms). */
  timeoutMs?: number;
}

export interface FindDocumentsOptions<Doc> extends DocumentWaitOptions {
  where?: DocumentWhere<Doc>;
  orderBy?: DocumentOrderBy<Doc>;
  /** At most this many documents (default: all). */
  limit?: number;
  /** Skip this many first (default 0). */
  offset?: number;
}

export interface CountDocumentsOptions<Doc> extends DocumentWaitOptions {
  where?: DocumentWhere<Doc>;
}

const OPERATORS = new Set(['eq', 'in', 'gt', 'gte', 'lt', 'lte']);
/** Most values one `in` may list. */
const MAX_IN_VALUES = 10_000;

/** Checks a find's options into the storage port's query. Throws `InvalidArgumentError`. @internal */
export function toDocumentQuery(model: ReadModel, options: FindDocumentsOptions<unknown>): DocumentQuery {
  checkOptionsObject('find options', options);
  const where = toConditions(model, options.where);
  const orderBy: DocumentOrder[] = [];
  if (options.orderBy !== undefined) {
    checkPlain('orderBy', options.orderBy);
    for (const [field, direction] of Object.entries(options.orderBy)) {
      checkField('orderBy', field, model.fields);
      if (direction !== 'asc' && direction !== 'desc') {
        throw new InvalidArgumentError('orderBy', `${field} must be 'asc' or 'desc', got ${describeValue(direction)}`);
      }
      orderBy.push({ field, direction });
    }
  }
  if (options.limit !== undefined) checkPositiveInteger('limit', options.limit, { allowZero: true });
  if (options.offset !== undefined) checkPositiveInteger('offset', options.offset, { allowZero: true });
  return { where, orderBy, limit: options.limit, offset: options.offset };
}

/** Checks a `where` into conditions. @internal */
export function toConditions(model: ReadModel, where: unknown): DocumentCondition[] {
  if (where === undefined) return [];
  checkPlain('where', where);
  const conditions = parseConditions(model, where);
  // Where the schema holds the field to the values' JSON type, the adapter need not check it.
  for (const condition of conditions) {
    const kind = model.fields?.get(condition.field);
    const values = condition.op === 'in' ? condition.values : [condition.value];
    if (kind && kind !== 'other' && values.every((v) => v === null || typeof v === kind)) condition.sameType = true;
  }
  return conditions;
}

function parseConditions(model: ReadModel, where: Record<string, unknown>): DocumentCondition[] {
  const conditions: DocumentCondition[] = [];
  for (const [field, filter] of Object.entries(where)) {
    checkField('where', field, model.fields);
    if (filter === undefined) continue;
    if (!isOperators(filter)) {
      conditions.push({ field, op: 'eq', value: scalar(field, filter) });
      continue;
    }
    const entries = Object.entries(filter).filter(([, v]) => v !== undefined);
    if (entries.length === 0) throw new InvalidArgumentError('where', `${field} holds no operator (eq, in, gt, gte, lt, lte)`);
    for (const [op, value] of entries) {
      if (!OPERATORS.has(op)) throw new InvalidArgumentError('where', `${field} has an unknown operator ${describeValue(op)}`);
      if (op === 'eq') conditions.push({ field, op, value: scalar(field, value) });
      else if (op === 'in') {
        if (!Array.isArray(value) || value.length > MAX_IN_VALUES) {
          throw new InvalidArgumentError('where', `${field}.in must be an array of at most ${MAX_IN_VALUES} values`);
        }
        conditions.push({ field, op, values: value.map((v) => scalar(field, v)) });
      } else {
        const bound = scalar(field, value);
        if (typeof bound !== 'string' && typeof bound !== 'number') {
          throw new InvalidArgumentError('where', `${field}.${op} must be a string, a number or a Date, got ${describeValue(value)}`);
        }
        conditions.push({ field, op: op as 'gt' | 'gte' | 'lt' | 'lte', value: bound });
      }
    }
  }
  return conditions;
}

/** An operator object, as opposed to a value to compare with (a Date is a value). */
function isOperators(filter: unknown): filter is Record<string, unknown> {
  return typeof filter === 'object' && filter !== null && !(filter instanceof Date) && !Array.isArray(filter);
}

function scalar(field: string, value: unknown): DocumentScalar {
  if (typeof value === 'string') {
    // No stored document holds them (see the codec): refused on every adapter alike.
    if (value.includes('\u0000') || /\p{Cs}/u.test(value)) {
      throw new InvalidArgumentError('where', `${field} compares with a string holding a NUL character or a lone surrogate`);
    }
    return value;
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new InvalidArgumentError('where', `${field} compares with ${describeValue(value)}: use a string, a finite number, a boolean, null or a Date`);
}

function checkPlain(argument: string, value: unknown): asserts value is Record<string, unknown> {
  const proto = typeof value === 'object' && value !== null ? (Object.getPrototypeOf(value) as unknown) : undefined;
  if (proto !== Object.prototype && proto !== null) throw new InvalidArgumentError(argument, `must be a plain object, got ${describeValue(value)}`);
}
