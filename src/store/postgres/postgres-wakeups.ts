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
  /** The NOTIFY being sent (and the spacing after it), while there is one. */
  #sending: Promise<void> | undefined;
  /** A commit landed after the NOTIFY in flight was sent: one more is owed. */
  #pending = false;
  #spacing: { timer: NodeJS.Timeout; done: () => void } | undefined;
  /** The LISTEN connection being opened or open; resolves with what gives it back. */
  #listening: Promise<(() => void) | undefined> | undefined;
  #closed = false;

  constructor(
    private readonly pool: PostgresPool,
    private readonly channel: string,
    private readonly warn: (message: string, error: unknown) => void,
  ) {}

  /** Tells other processes (and this one) that events were committed. */
  notify(): void {
    if (this.#closed) return;
    if (this.#sending) {
      this.#pending = true;
      return;
    }
    this.#sending = this.#send();
  }

  /** Sends one NOTIFY, then one more after the spacing if commits landed meanwhile. */
  async #send(): Promise<void> {
    do {
      this.#pending = false;
      try {
        await this.pool.query({ text: 'SELECT pg_notify($1, NULL)', values: [this.channel] });
      } catch (error) {
        this.warn('a wake-up notification was not sent (subscribers still poll)', error);
      }
      if (!this.#closed) await this.#pause();
    } while (this.#pending);
    // In the same tick as the last check of #pending, so no commit's notify() falls in between.
    this.#sending = undefined;
  }

  /** Waits out the spacing between two NOTIFYs; close() cuts it short. */
  #pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#spacing = undefined;
        resolve();
      };
      const timer = setTimeout(done, NOTIFY_SPACING_MS);
      timer.unref();
      this.#spacing = { timer, done };
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

  /**
   * Stops listening. A NOTIFY owed for commits made before (coalesced behind the one in flight)
   * is still sent, so other processes hear of the last commits; close() resolves once it is.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    if (this.#spacing) {
      clearTimeout(this.#spacing.timer);
      this.#spacing.done();
    }
    await this.#sending;
    const giveBack = await this.#listening?.catch(() => undefined);
    this.#listening = undefined;
    giveBack?.();
  }

  async #listen(): Promise<(() => void) | undefined> {
    let client: PostgresPoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.#retry(error);
      return undefined;
    }
    // A socket that fails during the LISTEN both emits 'error' and fails the query, and close()
    // may come first: the connection is given back once (the pool throws on a second release).
    let released = false;
    const lost = (error: unknown) => {
      if (released) return;
      released = true;
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
      lost(error);
      return undefined;
    }
    return () => lost(undefined);
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
