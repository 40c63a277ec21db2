import type { DocumentCondition } from '../documents.js';
import type { Bind, DocumentDialect } from '../sql/sql-documents.js';
import { postgresCode } from './postgres-errors.js';
import { VISIBLE } from './postgres-statements.js';
import type { PostgresQueryable } from './postgres-types.js';

/**
 * Documents on PostgreSQL: a table per read model (`<schema>.rm_<name>`), the document as jsonb,
 * and an expression index on `(doc -> '<field>')` per indexed field. Conditions compare jsonb
 * values (`doc -> 'status' = $1::jsonb`): the index serves equality, `in` and ranges, and values
 * of different JSON types never compare equal. Ranges also check the JSON type.
 * @internal
 */
export function postgresDocuments(schema: string): DocumentDialect {
  return {
    table: (collection) => `"${schema}"."rm_${collection.name}"`,
    create(collection) {
      const table = `"${schema}"."rm_${collection.name}"`;
      return [
        // Two transactions creating one table at once collide in the catalog (23505 on pg_type):
        // the first to lock creates, the other then finds it.
        `SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${hash(`${schema}.${collection.name}`)})`,
        `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, doc jsonb NOT NULL)`,
        ...collection.indexes.map(
          (field) => `CREATE INDEX IF NOT EXISTS "${indexName(collection.name, field)}" ON ${table} ((${path(field)}))`,
        ),
      ];
    },
    docText: 'doc::text AS doc',
    selectById: (table) => `SELECT doc::text AS doc FROM ${table} WHERE id = $1`,
    selectByIds: (table, ids) => [`SELECT id, doc::text AS doc FROM ${table} WHERE id = ANY($1::text[])`, [[...ids]]],
    // A batch's documents in one round trip.
    upserts: (table, puts) => [
      [
        `INSERT INTO ${table} (id, doc) SELECT id, doc::jsonb FROM unnest($1::text[], $2::text[]) AS d(id, doc)
ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
        [[...puts.keys()], [...puts.values()]],
      ],
    ],
    deletes: (table, ids) => [[`DELETE FROM ${table} WHERE id = ANY($1::text[])`, [[...ids]]]],
    condition: postgresCondition,
    order: (field, direction) => `${path(field)} ${direction === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`,
    // Byte order, as SQLite and the memory adapter sort ids.
    idOrder: 'id COLLATE "C" ASC',
    noLimit: null,
    placeholder: (n) => `$${n}`,
    isMissingTable: (error) => postgresCode(error) === '42P01',
  };
}

/** `field` is an identifier (`DOCUMENT_FIELD`), so it is safe inside the quoted key. */
function path(field: string): string {
  return `(doc -> '${field}')`;
}

// pg_advisory_xact_lock(class, key): the class marks eventuali's read-model tables ("rmdc").
const LOCK_CLASS = 0x726d6463;

/** A stable signed 32-bit hash (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Index names stop at 63 bytes: a long one ends in a hash of the field, so two never truncate to one. */
function indexName(name: string, field: string): string {
  const full = `rm_${name}__${field}`;
  if (full.length <= 63) return full;
  return `${full.slice(0, 54)}_${(hash(field) >>> 0).toString(16).padStart(8, '0')}`;
}

const json = (value: unknown): string => JSON.stringify(value);

function postgresCondition(condition: DocumentCondition, bind: Bind): string {
  const value = path(condition.field);
  const missing = `(${value} IS NULL OR ${value} = 'null'::jsonb)`;
  switch (condition.op) {
    case 'eq':
      return condition.value === null ? missing : `${value} = ${bind(json(condition.value))}::jsonb`;
    case 'in': {
      const present = condition.values.filter((v) => v !== null);
      const terms = present.length > 0 ? [`${value} = ANY(${bind(present.map(json))}::jsonb[])`] : [];
      if (present.length < condition.values.length) terms.push(missing);
      return terms.length === 0 ? 'false' : `(${terms.join(' OR ')})`;
    }
    default: {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[condition.op];
      const type = typeof condition.value === 'number' ? 'number' : 'string';
      const compare = `${value} ${op} ${bind(json(condition.value))}::jsonb`;
      return condition.sameType ? compare : `(${compare} AND jsonb_typeof(${value}) = '${type}')`;
    }
  }
}

/**
 * `handled` on PostgreSQL, where log order is (transaction id, position): the target event is
 * visible to readers (its transaction id is below every one still in flight), and no event of the
 * types lies after the checkpoint and at or before the target in that order.
 * @internal
 */
export async function postgresHandled(
  db: PostgresQueryable,
  schema: string,
  subscriptionId: string,
  position: bigint,
  eventTypes: readonly string[],
): Promise<boolean> {
  const events = `"${schema}".events`;
  const { rows } = await db.query<{ handled: boolean }>({
    text: `WITH target AS (
  SELECT transaction_id AS xid, global_position AS pos, ${VISIBLE} AS visible FROM ${events} WHERE global_position = $2
), cp AS (
  SELECT e.transaction_id AS xid, e.global_position AS pos
  FROM "${schema}".checkpoints c JOIN ${events} e ON e.global_position = c.position
  WHERE c.subscription_id = $1
)
SELECT EXISTS (
  SELECT 1 FROM target
  WHERE target.visible
    AND NOT EXISTS (
      SELECT 1 FROM ${events} e
      WHERE (e.transaction_id, e.global_position) > (coalesce((SELECT xid FROM cp), '0'::xid8), coalesce((SELECT pos FROM cp), 0))
        AND (e.transaction_id, e.global_position) <= (target.xid, target.pos)
        AND e.event_type = ANY($3::text[])
    )
) AS handled`,
    values: [subscriptionId, position.toString(), [...eventTypes]],
  });
  return rows[0]?.handled === true;
}
