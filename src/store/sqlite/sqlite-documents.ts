import type { DocumentCollection, DocumentCondition, DocumentScalar } from '../documents.js';
import type { Bind, DocumentDialect } from '../sql/sql-documents.js';

/**
 * Documents on SQLite: a table per read model (`eventuali_rm_<name>`), the document as JSON text,
 * and an expression index on `json_extract(doc, '$.<field>')` per indexed field. A condition
 * compares the same expression (so the index serves it) and checks the JSON type, since SQLite
 * reads `true` as 1 and a nested object as text.
 * @internal
 */
export const SQLITE_DOCUMENTS: DocumentDialect = {
  table: (collection) => `"eventuali_rm_${collection.name}"`,
  create(collection) {
    const table = `eventuali_rm_${collection.name}`;
    return [
      `CREATE TABLE IF NOT EXISTS "${table}" (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
      ...collection.indexes.map((field) => `CREATE INDEX IF NOT EXISTS "${table}__${field}" ON "${table}" (${path(field)})`),
    ];
  },
  docText: 'doc',
  selectById: (table) => `SELECT doc FROM ${table} WHERE id = ?`,
  selectByIds: (table, ids) => [`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]],
  // One prepared statement per document: in-process calls, cheaper than packing them into JSON.
  upserts: (table, puts) => {
    const sql = `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`;
    return [...puts].map(([id, json]) => [sql, [id, json]]);
  },
  deletes: (table, ids) => ids.map((id) => [`DELETE FROM ${table} WHERE id = ?`, [id]]),
  condition: (condition, bind) => sqliteCondition(condition, bind),
  order: (field, direction) => `${path(field)} ${direction === 'asc' ? 'ASC' : 'DESC'}`,
  idOrder: 'id ASC',
  noLimit: -1,
  placeholder: () => '?',
  isMissingTable: (error) => error instanceof Error && /no such table/.test(error.message),
};

/** The field's value; `field` is an identifier (`DOCUMENT_FIELD`), so it is safe inside the quoted path. */
function path(field: string): string {
  return `json_extract(doc, '$.${field}')`;
}

function jsonType(field: string): string {
  return `json_type(doc, '$.${field}')`;
}

function sqliteCondition(condition: DocumentCondition, bind: Bind): string {
  const { field } = condition;
  const sameType = condition.sameType === true;
  switch (condition.op) {
    case 'eq':
      return equals(field, condition.value, bind, sameType);
    case 'in':
      return condition.values.length === 0 ? '0 = 1' : `(${condition.values.map((v) => equals(field, v, bind, sameType)).join(' OR ')})`;
    default: {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[condition.op];
      const compare = `${path(field)} ${op} ${bind(condition.value)}`;
      return sameType ? compare : `(${compare} AND ${typeCheck(field, condition.value)})`;
    }
  }
}

/** `sameType`: the schema keeps the field to the value's JSON type, so the type check (a parse of the document per row) is left out. */
function equals(field: string, value: DocumentScalar, bind: Bind, sameType: boolean): string {
  if (value === null) return `${path(field)} IS NULL`;
  if (typeof value === 'boolean') {
    const compare = `${path(field)} = ${value ? 1 : 0}`;
    return sameType ? compare : `(${compare} AND ${jsonType(field)} = '${value ? 'true' : 'false'}')`;
  }
  const compare = `${path(field)} = ${bind(value)}`;
  return sameType ? compare : `(${compare} AND ${typeCheck(field, value)})`;
}

function typeCheck(field: string, value: string | number): string {
  return typeof value === 'number' ? `${jsonType(field)} IN ('integer', 'real')` : `${jsonType(field)} = 'text'`;
}
