/**
 * The progress line of `export` and `import`: events, events per second and, when the share done
 * is known, a bar and the time left. Drawn on stderr only when it is a terminal (stdout carries
 * the data or the summary), at most every 200 ms; silent otherwise.
 */
export class ProgressLine {
  readonly #started = Date.now();
  #drawnAt = 0;
  #drawn = false;

  constructor(
    private readonly stream: { write(text: string): unknown; isTTY?: boolean },
    private readonly verb: string,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** `share`: the part done, from 0 to 1, when the total is known. */
  update(events: number, share?: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.#drawnAt < 200) return;
    this.#drawnAt = now;
    this.#drawn = true;
    this.stream.write(`\r${describeProgress(this.verb, events, (now - this.#started) / 1000, share)}\u001b[K`);
  }

  /** Clears the line, so the summary prints on a clean one. */
  done(): void {
    if (this.#drawn) this.stream.write('\r\u001b[K');
  }
}

const BAR_WIDTH = 20;

/** `importing [#####-----] 25%  12,000 events  8,000/s  ETA 0:03` */
export function describeProgress(verb: string, events: number, seconds: number, share?: number): string {
  const rate = seconds > 0 ? Math.round(events / seconds) : 0;
  const parts = [verb];
  if (share !== undefined && share > 0) {
    const clamped = Math.min(1, share);
    const filled = Math.round(clamped * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(clamped * 100)}%`);
  }
  parts.push(`${events.toLocaleString('en-US')} events`, `${rate.toLocaleString('en-US')}/s`);
  if (share !== undefined && share > 0 && share < 1) parts.push(`ETA ${clock((seconds * (1 - share)) / share)}`);
  return parts.join('  ');
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
