import { randomUUID } from 'node:crypto';
import { AssertionError, deepStrictEqual } from 'node:assert';
import { isEventualiError, type ErrorCode } from '../core/errors.js';
import type { Event, NewEvent } from '../core/event.js';
import { EventStore } from '../event-store/event-store.js';
import type { ReadModel } from '../projections/define-read-model.js';
import type { ReadModelDocuments } from '../projections/read-model-documents.js';
import { applyToDocuments, readModelProjection } from '../projections/read-model-projection.js';
import { setupContext } from '../projections/projection.js';

export interface ReadModelScenarioOptions {
  /**
   * Run on this store (a SQLite or PostgreSQL test store) instead of a new memory store: documents
   * then take the real storage path (JSON or jsonb, indexes, Date revival). The scenario writes to
   * a table of its own, never the model's, and empties it afterwards; the event log is not touched.
   */
  store?: EventStore | undefined;
}

/** An expected error: an eventuali error code, an error class, or a predicate. */
export type ExpectedError = ErrorCode | (abstract new (...args: never[]) => Error) | ((error: unknown) => boolean);

/**
 * Tests a read model's `evolve` and storage: given events, then these documents. Events created
 * with `Definition.create()` belong to the current stream (`'stream-1'` until `given(streamId, …)`
 * names another); envelopes keep their own. Failed expectations throw `AssertionError`.
 */
export class ReadModelScenario<Doc> {
  readonly #model: ReadModel<Doc, never>;
  readonly #options: ReadModelScenarioOptions;
  readonly #events: Event[] = [];
  readonly #versions = new Map<string, number>();

  /** @internal */
  constructor(model: ReadModel<Doc, never>, options: ReadModelScenarioOptions) {
    this.#model = model;
    this.#options = options;
  }

  /** Events in order; a leading string names the stream (the default document id) of the new ones. */
  given(...events: (NewEvent | Event)[]): this;
  given(streamId: string, ...events: (NewEvent | Event)[]): this;
  given(...args: (string | NewEvent | Event)[]): this {
    let stream = 'stream-1';
    if (typeof args[0] === 'string') stream = args.shift() as string;
    for (const event of args as (NewEvent | Event)[]) {
      const aggregateId = 'aggregateId' in event ? event.aggregateId : stream;
      const version = (this.#versions.get(aggregateId) ?? 0) + 1;
      this.#versions.set(aggregateId, version);
      this.#events.push({
        aggregateId,
        aggregateType: 'Scenario',
        aggregateVersion: version,
        globalPosition: BigInt(this.#events.length + 1),
        ...event,
      } as Event);
    }
    return this;
  }

  /** Asserts the documents after the events are exactly these (by id); `null` asserts there is none. */
  async then(expected: Record<string, Doc | null>): Promise<void> {
    await this.#run(async (read) => {
      const actual: Record<string, Doc | null> = {};
      for (const id of Object.keys(expected)) actual[id] = await read.get(id);
      deepStrictEqual(actual, expected);
      const present = Object.values(expected).filter((doc) => doc !== null).length;
      const total = await read.count();
      if (total !== present) {
        throw new AssertionError({ message: `The events left ${total} documents, not the ${present} expected`, actual: total, expected: present });
      }
    });
  }

  /** Asserts applying the events throws (a `DocumentValidationError` is `'DOCUMENT_VALIDATION'`). */
  async thenThrows(expected: ExpectedError): Promise<void> {
    let thrown: { error: unknown } | undefined;
    try {
      await this.#run(async () => undefined);
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      thrown = { error };
    }
    if (!thrown) throw new AssertionError({ message: 'Expected the events to throw, but they applied' });
    const { error } = thrown;
    const ok =
      typeof expected === 'string'
        ? isEventualiError(error, expected)
        : expected.prototype instanceof Error || expected === Error
          ? error instanceof (expected as abstract new () => Error)
          : (expected as (error: unknown) => boolean)(error);
    if (!ok) throw new AssertionError({ message: `The events threw ${String(error)}, not what was expected`, actual: error });
  }

  async #run(check: (read: ReadModelDocuments<Doc>) => Promise<void>): Promise<void> {
    const store = this.#options.store ?? new EventStore();
    const { adapter } = store;
    const model = this.#model as ReadModel;
    // A copy under a name of its own: a real store's table of this model is never touched.
    const copy = this.#options.store
      ? { ...model, name: `${model.name.slice(0, 30)}_scn_${randomUUID().replace(/-/g, '').slice(0, 12)}` }
      : model;
    const projection = readModelProjection(copy);
    try {
      await adapter.transaction(async (session) => {
        await projection.setup(setupContext(session));
        // One event at a time, as a projection retrying an event alone applies it.
        for (const event of this.#events) await applyToDocuments(copy, session.documents, [event]);
      });
      await check(store.documents(copy as ReadModel<Doc, never>));
    } finally {
      if (this.#options.store) await adapter.transaction((session) => projection.reset(setupContext(session)));
      else await store.close();
    }
  }
}

/**
 * Tests a read model without running a projection: given events, then documents. On a new memory
 * store by default, or on a real one (`{ store }`).
 *
 * @example
 * await readModelScenario(CartDetails)
 *   .given('cart-1', CartOpened.create({ clientId: 'c-1' }), ProductAdded.create({ sku: 'x', price: 5 }))
 *   .then({ 'cart-1': { status: 'Open', total: 5 } });
 */
export function readModelScenario<Doc>(model: ReadModel<Doc, never>, options: ReadModelScenarioOptions = {}): ReadModelScenario<Doc> {
  return new ReadModelScenario(model, options);
}
