import { InvalidArgumentError } from '../core/errors.js';
import type { EventRegistry } from '../core/event-registry.js';
import type { StorageAdapter } from '../store/adapter.js';
import type { ProjectionRunner } from './projection-runner.js';
import { ConsumerGroup } from '../streaming/durable/consumer-group.js';
import type { SubscriptionOptions } from '../streaming/durable/subscription-options.js';
import { setupContext, type Projection } from './projection.js';
import type { ReadModel } from './define-read-model.js';
import { ReadModelDocuments } from './read-model-documents.js';
import { applyToDocuments, readModelProjection } from './read-model-projection.js';

/** Options of `store.projection(readModel)`: a projection's, plus `inline`. */
export type ReadModelOptions = Omit<SubscriptionOptions, 'id' | 'handle' | 'eventTypes' | 'aggregateTypes' | 'concurrency'> & {
  /**
   * Keep the documents inside every append's transaction instead of on a durable subscription:
   * they commit with the events and are never behind (each save then runs in a transaction).
   */
  inline?: boolean;
};

/** Events a rebuild of an inline read model reads and applies per transaction. */
const REBUILD_PAGE = 500;

/**
 * A read model kept inline by `store.projection(model, { inline: true })`: its documents commit
 * with the events. `rebuild()` empties them and replays the log.
 */
export class InlineReadModel {
  readonly inline = true;

  /** @internal */
  constructor(
    readonly model: ReadModel,
    private readonly adapter: StorageAdapter,
    private readonly registry: EventRegistry,
    private readonly setUp: () => Promise<void>,
  ) {}

  get name(): string {
    return this.model.name;
  }

  /**
   * Empties the documents and applies every stored event of the model's types again, a page per
   * transaction. Run it while nothing appends those events (at deploy time): an event appended
   * during the rebuild could be applied twice.
   */
  async rebuild(): Promise<void> {
    const projection = readModelProjection(this.model);
    await this.setUp();
    await this.adapter.transaction((session) => projection.reset(setupContext(session)));
    let after = 0n;
    for (;;) {
      const records = await this.adapter.readAll({ after, limit: REBUILD_PAGE, eventTypes: this.model.eventTypes });
      const last = records.at(-1);
      if (!last) return;
      const events = this.registry.decodeAll(records);
      await this.adapter.transaction(async (session) => {
        await applyToDocuments(this.model, session.documents, events);
      });
      after = last.globalPosition;
    }
  }
}

/** @internal what keeping read models needs from the store (passed in: the store lives above). */
export interface ReadModelHost {
  readonly adapter: StorageAdapter;
  readonly registry: EventRegistry;
  runProjection(projection: Projection, options: Omit<ReadModelOptions, 'inline'>): ProjectionRunner | ConsumerGroup;
  addInlineProjection(projection: Projection): void;
  /** Resolves once the inline projections' setup ran (rejects with its error). */
  inlineSetup(): Promise<void>;
  /** Runs a read as a call of the store (refused once it closes; close() lets it settle). */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

/** @internal the read models of one store: which it keeps inline, and their documents. */
export class ReadModelKeeper {
  readonly #inline = new Set<string>();
  /** The async projections of read models this store runs, by model name. */
  readonly #runners = new Map<string, ProjectionRunner>();
  /** The read models this store keeps with a consumer group, by model name: their partition counts. */
  readonly #groups = new Map<string, number>();

  constructor(private readonly host: ReadModelHost) {}

  keep(model: ReadModel, options: ReadModelOptions): ProjectionRunner | ConsumerGroup | InlineReadModel {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'must be an object');
    const { inline = false, ...rest } = options;
    if (typeof inline !== 'boolean') throw new InvalidArgumentError('inline', 'must be a boolean');
    this.#checkDocuments(model);
    if (this.#inline.has(model.name)) throw new InvalidArgumentError('read model', `${model.name} is already kept inline by this store`);
    if (!inline) {
      const runner = this.host.runProjection(readModelProjection(model), rest);
      if (runner instanceof ConsumerGroup) this.#groups.set(model.name, runner.partitionCount);
      else this.#runners.set(model.name, runner);
      return runner;
    }
    if (Object.keys(rest).length > 0) {
      throw new InvalidArgumentError('options', `an inline read model takes no subscription options (${Object.keys(rest).join(', ')})`);
    }
    this.#inline.add(model.name);
    this.host.addInlineProjection(readModelProjection(model));
    return new InlineReadModel(model, this.host.adapter, this.host.registry, () => this.host.inlineSetup());
  }

  documents<Doc>(model: ReadModel<Doc, never>): ReadModelDocuments<Doc> {
    const storage = this.#checkDocuments(model as ReadModel);
    return new ReadModelDocuments(
      model,
      storage,
      (fn) => this.host.call(fn),
      () => this.#inline.has(model.name),
      () => {
        const runner = this.#runners.get(model.name);
        return runner?.isActive ? runner : undefined;
      },
      () => this.#groups.get(model.name),
    );
  }

  #checkDocuments(model: ReadModel): NonNullable<StorageAdapter['documents']> {
    if (typeof model !== 'object' || model === null || model.kind !== 'read-model') {
      throw new InvalidArgumentError('read model', 'must come from defineReadModel()');
    }
    const storage = this.host.adapter.documents;
    if (!storage) throw new InvalidArgumentError('read model', `${model.name} needs an adapter that keeps documents; this one does not`);
    return storage;
  }
}
