import { StoreClosedError } from './errors.js';

/**
 * @internal the calls a store (or adapter) has started and not yet settled, so that closing it
 * refuses new calls and then waits for those: every call made before `close()` completes, or
 * rejects with its own error, before the connection goes away; none is left hanging.
 */
export class InFlightCalls {
  readonly #calls = new Set<Promise<unknown>>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` as a call in flight; rejects with `StoreClosedError` once closing has begun. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    let call: Promise<T>;
    try {
      call = fn();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#calls.add(call);
    const settled = (): void => void this.#calls.delete(call);
    call.then(settled, settled);
    return call;
  }

  /** Refuses new calls; resolves once every call in flight has settled. */
  close(): Promise<void> {
    this.#closed = true;
    return Promise.allSettled(this.#calls).then(() => undefined);
  }
}
