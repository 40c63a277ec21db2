/**
 * The part of node-postgres's API the adapter uses, typed structurally (kysely style): a `pg.Pool`
 * fits as is, the package's types need not be installed to compile against eventuali, and no core
 * type imports pg.
 */

/** Turns one column's text into a value; the adapter passes its own per query (see `ROW_TYPES`). */
export interface PostgresTypeParsers {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

export interface PostgresQueryConfig {
  /** A named prepared statement: parsed once per connection. */
  name?: string;
  text: string;
  values?: unknown[];
  types?: PostgresTypeParsers;
  /** `'array'`: rows as arrays of column values, in the select list's order. */
  rowMode?: 'array';
}

export interface PostgresQueryResult<Row> {
  rows: Row[];
  rowCount: number | null;
  command: string;
}

export interface PostgresQueryable {
  query<Row = Record<string, unknown>>(config: PostgresQueryConfig): Promise<PostgresQueryResult<Row>>;
}

/** A connection checked out of the pool. */
export interface PostgresPoolClient extends PostgresQueryable {
  /** `true` or an error destroys the connection instead of returning it to the pool. */
  release(destroy?: boolean | Error): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'notification', listener: (message: { channel: string; payload?: string | undefined }) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A `pg.Pool`, or anything with the same calls. */
export interface PostgresPool extends PostgresQueryable {
  connect(): Promise<PostgresPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Each new connection, once connected. */
  on(event: 'connect', listener: (client: PostgresPoolClient) => void): unknown;
}

/** The pool's options the adapter sets when it opens a pool from a URL. */
export interface PostgresPoolConfig {
  connectionString: string;
  max: number;
}

export type PostgresPoolConstructor = new (config: PostgresPoolConfig) => PostgresPool;

/** A `pg.Client`, as far as checking that a URL connects (and reading which migrations a schema has). */
export interface PostgresClient extends PostgresQueryable {
  connect(): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type PostgresClientConstructor = new (config: { connectionString: string }) => PostgresClient;
