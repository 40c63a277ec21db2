import { setTimeout as sleep } from 'node:timers/promises';
import { describeValue, InvalidArgumentError } from '../core/errors.js';
import { checkId } from '../core/event.js';
import { checkTimerMs, MAX_GLOBAL_POSITION } from '../core/limits.js';
import { checkOptionsObject } from '../core/checks.js';
import type { DocumentStorage } from '../store/documents.js';
import type { ReadModel } from './define-read-model.js';
import { toConditions, toDocumentQuery, type CountDocumentsOptions, type FindDocumentsOptions, type DocumentWaitOptions } from './document-query.js';
import { documentCodec, type DocumentCodec } from './read-model-projection.js';
import { ReadModelTimeoutError } from './read-model-errors.js';
import { partitionId } from '../streaming/durable/group-config.js';

const DEFAULT_WAIT_MS = 5000;
/** Polls of `waitFor` start this close together and back off to the longest. */
const FIRST_POLL_MS = 1;
const LONGEST_POLL_MS = 10;

/**
 * A read model's documents in one store: `store.documents(model)`. Reads see committed documents;
 * `waitFor` first waits until the projection has handled a position the caller wrote.
 *
 * @example
 * const [event] = await store.append('Cart', id, 'no-stream', [CartOpened.create({})]);
 * const cart = await store.documents(CartDetails).get(id, { waitFor: event.globalPosition });
 */
export class ReadModelDocuments<Doc> {
  readonly #codec: DocumentCodec;

  /** @internal */
  constructor(
    readonly model: ReadModel<Doc, never>,
    private readonly storage: DocumentStorage,
    /** Runs a read as a call of the store. */
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
    /** True when this store keeps the model inline: documents commit with the events, nothing to wait for. */
    private readonly keptInline: () => boolean,
    /** The model's projection when it runs in this process: its position moving is the cue to check again. */
    private readonly localRunner: () => { readonly position: bigint } | undefined = () => undefined,
    /** The partition count when this store keeps the model with a consumer group: every partition must have handled the position. */
    private readonly groupPartitions: () => number | undefined = () => undefined,
  ) {
    this.#codec = documentCodec(model as ReadModel);
  }

  /** The document, or null. */
  get(id: string, options: DocumentWaitOptions = {}): Promise<Doc | null> {
    return this.call(() => this.#get(id, options));
  }

  /** The documents matching `where`, in `orderBy` order (then by id), paged by `limit` and `offset`. */
  find(options: FindDocumentsOptions<Doc> = {}): Promise<Doc[]> {
    return this.call(() => this.#find(options));
  }

  /** How many documents match `where`. */
  count(options: CountDocumentsOptions<Doc> = {}): Promise<number> {
    return this.call(() => this.#count(options));
  }

  // Reads are called per request: checks first (they throw, and the call rejects), then one
  // promise chain, waiting first only when `waitFor` asks to.
  #get(id: string, options: DocumentWaitOptions): Promise<Doc | null> {
    checkId('document id', id);
    const read = () => this.storage.get(this.#codec.collection, id).then((json) => (json === null ? null : (this.#codec.decode(json) as Doc)));
    const waiting = this.#wait(options);
    return waiting ? waiting.then(read) : read();
  }

  #find(options: FindDocumentsOptions<Doc>): Promise<Doc[]> {
    const query = toDocumentQuery(this.model as ReadModel, options as FindDocumentsOptions<unknown>);
    const read = () => this.storage.find(this.#codec.collection, query).then((rows) => rows.map((json) => this.#codec.decode(json) as Doc));
    const waiting = this.#wait(options);
    return waiting ? waiting.then(read) : read();
  }

  #count(options: CountDocumentsOptions<Doc>): Promise<number> {
    checkOptionsObject('count options', options);
    const where = toConditions(this.model as ReadModel, options.where);
    const read = () => this.storage.count(this.#codec.collection, where);
    const waiting = this.#wait(options);
    return waiting ? waiting.then(read) : read();
  }

  /**
   * Resolves once the read model's projection has handled `position` (the `globalPosition` of an
   * event this caller wrote), in the log's order: every event of the model's types up to it is in
   * the documents. Throws `ReadModelTimeoutError` after `timeoutMs` (default 5000).
   */
  waitFor(position: bigint, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.call(async () => {
      checkOptionsObject('options', options);
      await this.#waitFor(position, options.timeoutMs ?? DEFAULT_WAIT_MS);
    });
  }

  /** Checks the options; waits when `waitFor` is given (no promise otherwise: reads stay one hop). */
  #wait(options: DocumentWaitOptions): Promise<void> | undefined {
    checkOptionsObject('options', options);
    return options.waitFor === undefined ? undefined : this.#waitFor(options.waitFor, options.timeoutMs ?? DEFAULT_WAIT_MS);
  }

  async #waitFor(position: bigint, timeoutMs: number): Promise<void> {
    if (typeof position !== 'bigint' || position < 0n || position > MAX_GLOBAL_POSITION) {
      throw new InvalidArgumentError('waitFor', `must be a bigint position this store returned, got ${describeValue(position)}`);
    }
    checkTimerMs('timeoutMs', timeoutMs, 0);
    if (position === 0n || this.keptInline()) return;
    const { name, eventTypes } = this.model;
    const deadline = performance.now() + timeoutMs;
    let pause = FIRST_POLL_MS;
    let seen = this.localRunner()?.position;
    const partitions = this.groupPartitions();
    const handled =
      partitions === undefined
        ? () => this.storage.handled(name, position, eventTypes)
        : async () => {
            const each = await Promise.all(Array.from({ length: partitions }, (_, k) => this.storage.handled(partitionId(name, k), position, eventTypes)));
            return each.every(Boolean);
          };
    while (!(await handled())) {
      if (performance.now() >= deadline) throw new ReadModelTimeoutError(name, position, timeoutMs);
      const runner = this.localRunner();
      if (runner) {
        // In this process: ask the store again as soon as the projection moves (it has committed
        // a batch), or after the longest pause in any case (another process may run it too).
        const until = Math.min(deadline, performance.now() + LONGEST_POLL_MS);
        while (runner.position === seen && performance.now() < until) await sleep(FIRST_POLL_MS);
        seen = runner.position;
      } else {
        await sleep(Math.max(0, Math.min(pause, Math.ceil(deadline - performance.now()))));
        pause = Math.min(LONGEST_POLL_MS, pause * 2);
      }
    }
  }
}
