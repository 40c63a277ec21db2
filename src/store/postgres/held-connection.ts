import type { PostgresPool, PostgresPoolClient } from './postgres-types.js';

/**
 * A pooled connection checked out for a transaction. The pool only listens for a connection's
 * errors while it is idle, so an error the server sends while we hold it (a terminated session)
 * would crash the process: we listen meanwhile, and destroy the connection on release when it
 * failed.
 */
export class HeldConnection {
  #lost = false;
  readonly #onError = (): void => {
    // The query in flight rejects with the error too; here we only remember not to reuse the connection.
    this.#lost = true;
  };

  private constructor(readonly client: PostgresPoolClient) {
    client.on('error', this.#onError);
  }

  static async take(pool: PostgresPool): Promise<HeldConnection> {
    return new HeldConnection(await pool.connect());
  }

  /** Returns the connection to the pool, or closes it when it failed or `destroy` is true. */
  release(destroy = false): void {
    this.client.removeListener('error', this.#onError);
    this.client.release(destroy || this.#lost);
  }
}
