import type { DocumentCollection, DocumentCondition, DocumentScalar } from '../document-storage.js';
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
  upsert: (table) => `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
  deleteById: (table) => `DELETE FROM ${table} WHERE id = ?`,
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
  switch (condition.op) {
    case 'eq':
      return equals(field, condition.value, bind);
    case 'in':
      return condition.values.length === 0 ? '0 = 1' : `(${condition.values.map((v) => equals(field, v, bind)).join(' OR ')})`;
    default: {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[condition.op];
      return `(${path(field)} ${op} ${bind(condition.value)} AND ${typeCheck(field, condition.value)})`;
    }
  }
}

function equals(field: string, value: DocumentScalar, bind: Bind): string {
  if (value === null) return `${path(field)} IS NULL`;
  if (typeof value === 'boolean') return `(${path(field)} = ${value ? 1 : 0} AND ${jsonType(field)} = '${value ? 'true' : 'false'}')`;
  return `(${path(field)} = ${bind(value)} AND ${typeCheck(field, value)})`;
}

function typeCheck(field: string, value: string | number): string {
  return typeof value === 'number' ? `${jsonType(field)} IN ('integer', 'real')` : `${jsonType(field)} = 'text'`;
}
