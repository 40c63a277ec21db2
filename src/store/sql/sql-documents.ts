import type {
  DocumentCollection,
  DocumentCondition,
  DocumentQuery,
  DocumentStorage,
  DocumentWriter,
} from '../documents.js';

/** Runs one parameterised statement; rows as objects. */
export type SqlRun = (sql: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** SQL text and its parameters. */
export type Statement = [sql: string, params: unknown[]];

/** What a condition's SQL needs: a placeholder for each value, bound in order. */
export type Bind = (value: unknown) => string;

/**
 * The SQL text of documents on one database: what differs between SQLite (JSON text,
 * `json_extract`) and PostgreSQL (jsonb, `->`). Field names arrive validated (`DOCUMENT_FIELD`),
 * values only ever through `bind`.
 * @internal
 */
export interface DocumentDialect {
  /** The collection's table, quoted. */
  table(collection: DocumentCollection): string;
  /** CREATE TABLE / CREATE INDEX statements, each safe to run again. */
  create(collection: DocumentCollection): string[];
  /** The select-list term giving the document as JSON text, named `doc`. */
  readonly docText: string;
  /** Selects the column `doc` as JSON text where the id is the first parameter. */
  selectById(table: string): string;
  /** Selects `id` and `doc` (JSON text) of the documents with these ids. */
  selectByIds(table: string, ids: readonly string[]): Statement;
  /** Inserts or replaces documents (id → JSON text): one statement, or one per document. */
  upserts(table: string, puts: ReadonlyMap<string, string>): Statement[];
  deletes(table: string, ids: readonly string[]): Statement[];
  /** A condition as SQL, its values bound through `bind`. */
  condition(condition: DocumentCondition, bind: Bind): string;
  /** An ORDER BY term on a field, missing and null values first in ascending order. */
  order(field: string, direction: 'asc' | 'desc'): string;
  /** The ORDER BY term that ends every order (the id), for stable pages. */
  readonly idOrder: string;
  /** The LIMIT value that means none (-1 on SQLite, NULL on PostgreSQL), for an OFFSET alone. */
  readonly noLimit: number | null;
  /** Placeholder of the n-th parameter (1-based). */
  placeholder(n: number): string;
  /** The table does not exist (nothing was projected yet). */
  isMissingTable(error: unknown): boolean;
}

/** Document writes on a transaction's connection. @internal */
export class SqlDocumentWriter implements DocumentWriter {
  constructor(
    private readonly dialect: DocumentDialect,
    private readonly run: SqlRun,
  ) {}

  async ensure(collection: DocumentCollection): Promise<void> {
    for (const statement of this.dialect.create(collection)) await this.run(statement, []);
  }

  async load(collection: DocumentCollection, ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    const rows = await this.run(...this.dialect.selectByIds(this.dialect.table(collection), ids));
    for (const row of rows) found.set(row['id'] as string, row['doc'] as string);
    return found;
  }

  async write(collection: DocumentCollection, puts: ReadonlyMap<string, string>, deletes: readonly string[]): Promise<void> {
    const table = this.dialect.table(collection);
    if (puts.size > 0) for (const statement of this.dialect.upserts(table, puts)) await this.run(...statement);
    if (deletes.length > 0) for (const statement of this.dialect.deletes(table, deletes)) await this.run(...statement);
  }

  async clear(collection: DocumentCollection): Promise<void> {
    await this.ensure(collection);
    await this.run(`DELETE FROM ${this.dialect.table(collection)}`, []);
  }
}

/** Document reads outside a transaction. A table not created yet reads as empty. @internal */
export class SqlDocumentReader implements DocumentStorage {
  constructor(
    private readonly dialect: DocumentDialect,
    private readonly run: SqlRun,
    /** The adapter's answer to `handled` (log order is the adapter's to know). */
    readonly handled: DocumentStorage['handled'],
  ) {}

  get(collection: DocumentCollection, id: string): Promise<string | null> {
    return this.#read(this.dialect.selectById(this.dialect.table(collection)), [id]).then((rows) => (rows[0] ? (rows[0]['doc'] as string) : null));
  }

  find(collection: DocumentCollection, query: DocumentQuery): Promise<string[]> {
    const params: unknown[] = [];
    const where = this.#where(query.where, params);
    const order = [...query.orderBy.map((o) => this.dialect.order(o.field, o.direction)), this.dialect.idOrder].join(', ');
    let sql = `SELECT ${this.dialect.docText} FROM ${this.dialect.table(collection)}${where} ORDER BY ${order}`;
    if (query.limit !== undefined) {
      params.push(query.limit);
      sql += ` LIMIT ${this.dialect.placeholder(params.length)}`;
    }
    if (query.offset !== undefined && query.offset > 0) {
      // SQLite has no OFFSET without LIMIT.
      if (query.limit === undefined) sql += ` LIMIT ${this.dialect.placeholder(params.push(this.dialect.noLimit))}`;
      params.push(query.offset);
      sql += ` OFFSET ${this.dialect.placeholder(params.length)}`;
    }
    return this.#read(sql, params).then((rows) => rows.map((row) => row['doc'] as string));
  }

  async count(collection: DocumentCollection, where: readonly DocumentCondition[]): Promise<number> {
    const params: unknown[] = [];
    const rows = await this.#read(`SELECT count(*) AS n FROM ${this.dialect.table(collection)}${this.#where(where, params)}`, params);
    return Number(rows[0]?.['n'] ?? 0);
  }

  #where(conditions: readonly DocumentCondition[], params: unknown[]): string {
    if (conditions.length === 0) return '';
    const bind: Bind = (value) => this.dialect.placeholder(params.push(value));
    return ` WHERE ${conditions.map((c) => this.dialect.condition(c, bind)).join(' AND ')}`;
  }

  /** Reads are called per request: plain promise chains, no extra async frames. */
  #read(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return this.run(sql, params).catch((error: unknown) => {
      if (this.dialect.isMissingTable(error)) return [];
      throw error;
    });
  }
}
