import type { PostgresPool, PostgresPoolClient } from './postgres-types.js';

const RECONNECT_MS = 1000;
/** At most one NOTIFY per this many ms: a busy writer sends one per window, not one per commit. */
const NOTIFY_SPACING_MS = 1;

/**
 * Wake-ups between processes by LISTEN/NOTIFY: a hint only (subscriptions poll anyway). A NOTIFY
 * inside each append transaction would serialize commits on the server's notification queue, so
 * the store notifies after its commits instead, from a pooled connection, at most one at a time:
 * commits that land while one is in flight share the next one.
 * @internal
 */
export class PostgresWakeups {
  readonly #listeners = new Set<() => void>();
  #inFlight = false;
  #pending = false;
  #listening: Promise<PostgresPoolClient | undefined> | undefined;
  #closed = false;

  constructor(
    private readonly pool: PostgresPool,
    private readonly channel: string,
    private readonly warn: (message: string, error: unknown) => void,
  ) {}

  /** Tells other processes (and this one) that events were committed. */
  notify(): void {
    if (this.#closed) return;
    if (this.#inFlight) {
      this.#pending = true;
      return;
    }
    this.#inFlight = true;
    this.pool
      .query({ text: 'SELECT pg_notify($1, NULL)', values: [this.channel] })
      .catch((error: unknown) => this.warn('a wake-up notification was not sent (subscribers still poll)', error))
      .finally(() => {
        setTimeout(() => {
          this.#inFlight = false;
          if (this.#pending) {
            this.#pending = false;
            this.notify();
          }
        }, NOTIFY_SPACING_MS).unref();
      });
  }

  /** Calls `listener` on every notification; the first listener opens the LISTEN connection. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    this.#listening ??= this.#listen();
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    const client = await this.#listening?.catch(() => undefined);
    this.#listening = undefined;
    client?.release(true);
  }

  async #listen(): Promise<PostgresPoolClient | undefined> {
    let client: PostgresPoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.#retry(error);
      return undefined;
    }
    const lost = (error: unknown) => {
      client.release(true);
      this.#retry(error);
    };
    client.on('error', lost);
    client.on('notification', () => {
      for (const listener of this.#listeners) listener();
    });
    try {
      await client.query({ text: `LISTEN "${this.channel}"` });
    } catch (error) {
      client.removeListener('error', lost);
      lost(error);
      return undefined;
    }
    return client;
  }

  #retry(error: unknown): void {
    this.#listening = undefined;
    if (this.#closed || this.#listeners.size === 0) return;
    this.warn('the LISTEN connection was lost; reconnecting (subscribers poll meanwhile)', error);
    setTimeout(() => {
      if (!this.#closed && this.#listeners.size > 0) this.#listening ??= this.#listen();
    }, RECONNECT_MS).unref();
  }
}
