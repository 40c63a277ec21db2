/**
 * The run loop's sleeps. A commit hint ends a poll's sleep (or, with `hints` > 1, the hint-th one
 * does); wake() ends any sleep (stop, a waiter, a lost lease). A hint or wake that comes while the
 * loop is busy is kept for its next sleep, so none is missed.
 */
export class WakeSignal {
  #end: (() => void) | undefined;
  /** Hints needed to end the current sleep (Infinity: hints do not end it). */
  #needed = 1;
  /** Hints since the last sleep that counted them ended. */
  #hints = 0;
  #woken = false;

  /** Events were committed: ends a sleep waiting for hints, once enough have come. */
  hint(): void {
    this.#hints += 1;
    if (this.#hints >= this.#needed) this.#end?.();
  }

  /** Ends the current (or the next) sleep at once. */
  wake(): void {
    this.#woken = true;
    this.#end?.();
  }

  /**
   * Resolves after `ms`, on wake(), or once `hints` commit hints have come since the last sleep that
   * counted them (pass Infinity for a backoff that commits must not cut short).
   */
  sleep(ms: number, hints = 1): Promise<void> {
    const counts = hints !== Infinity;
    if (this.#woken || this.#hints >= hints) {
      this.#woken = false;
      if (counts) this.#hints = 0;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        if (this.#end !== end) return;
        this.#end = undefined;
        this.#needed = 1;
        this.#woken = false;
        if (counts) this.#hints = 0;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#needed = hints;
      this.#end = end;
    });
  }
}
