/** A sleep that a wake-up (new events, a stop) cuts short. */
export class WakeSignal {
  #wake: (() => void) | undefined;
  #pending = false;

  /** Ends the current (or the next) sleep at once. */
  wake(): void {
    this.#pending = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves after `ms`, or sooner on wake(); a wake() since the last sleep makes it return at once. */
  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.#wake === done) self.#wake = undefined;
        self.#pending = false;
        resolve();
      }
      this.#wake = done;
    });
  }
}
