import type { EventRecord } from '../../store/event-log.js';
import type { StorageAdapter } from '../../store/adapter.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';

/** How often an idle filtered subscription moves its position past the events its filters skip. */
const SKIP_AHEAD_EVERY_MS = 250;

/** One read of a subscription's next page. */
export interface Page {
  records: EventRecord[];
  /** When it started (performance.now()) and how long it took. */
  readAt: number;
  readMs: number;
  /**
   * For a filtered subscription with nothing to deliver: the last position in the log, read
   * before the page. No event up to it matches the filters, so the subscription may move past it.
   */
  skipTo: bigint | undefined;
}

/**
 * Reads a subscription's pages in log order after a position. A filtered subscription that found
 * nothing also reads the log's head (at most every 250 ms), so that the events its filters skip
 * are not scanned again by every poll, nor after a restart.
 * @internal
 */
export class PageReader {
  readonly #filtered: boolean;
  #idle = false;
  #headReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly adapter: StorageAdapter,
    private readonly options: ResolvedSubscriptionOptions,
  ) {
    this.#filtered = options.eventTypes !== undefined || options.aggregateTypes !== undefined;
  }

  async read(after: bigint): Promise<Page> {
    const readAt = performance.now();
    let head: bigint | undefined;
    if (this.#filtered && this.#idle && readAt - this.#headReadAt >= SKIP_AHEAD_EVERY_MS) {
      // Read before the page: if the page is empty, no event up to `head` matches the filters.
      head = await this.adapter.globalPosition();
      this.#headReadAt = readAt;
    }
    const records = await this.adapter.readAll({
      after,
      limit: this.options.batchSize,
      eventTypes: this.options.eventTypes,
      aggregateTypes: this.options.aggregateTypes,
    });
    this.#idle = records.length === 0;
    const skipTo = this.#idle && head !== undefined && head > 0n && head !== after ? head : undefined;
    return { records, readAt, readMs: performance.now() - readAt, skipTo };
  }
}
