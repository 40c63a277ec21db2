import { uuidv7 } from './uuid-v7.js';
import { MissingEventHandlerError } from './errors.js';
import { checkId, definitionOf, markValidated, type Event, type EventDefinition, type NewEvent } from './event.js';

/** The constructor shape the store needs to rebuild an aggregate. */
export interface AggregateClass<T extends Aggregate = Aggregate> {
  new (id?: string): T;
  readonly aggregateType?: string;
  readonly snapshotVersion?: number;
  readonly events?: readonly EventDefinition[];
  readonly name: string;
}

/** @internal what the store does to an aggregate that its public API does not offer. */
export interface AggregateInternals {
  replay(aggregate: Aggregate, events: readonly Event[]): void;
  restore(aggregate: Aggregate, version: number, state: unknown): void;
  /** Drops the oldest `count` uncommitted events: they are stored. */
  commit(aggregate: Aggregate, count: number): void;
  /** Puts events back in front of the uncommitted ones: their transaction rolled back. */
  uncommit(aggregate: Aggregate, events: readonly Event[]): void;
}

// Filled in by Aggregate's static block, the one place allowed to touch its private fields.
let internals!: AggregateInternals;

/** @internal */
export function aggregateInternals(): AggregateInternals {
  return internals;
}

/** The aggregate type of a class: its `static aggregateType`, else its class name. */
export function aggregateTypeOf(cls: AggregateClass | (abstract new (...args: never[]) => Aggregate)): string {
  const declared = (cls as { aggregateType?: unknown }).aggregateType;
  return typeof declared === 'string' && declared.length > 0 ? declared : cls.name;
}

/**
 * Base class of event-sourced aggregates. Commands check invariants and `apply()` new events;
 * `apply<EventType>(event)` methods change state.
 *
 * @example
 * class User extends Aggregate {
 *   static readonly aggregateType = 'User';
 *   username = '';
 *   register(username: string) {
 *     if (!this.isNew()) throw new Error('already registered');
 *     this.apply(UserRegistered.create({ username }));
 *   }
 *   applyUserRegistered(event: EventOf<typeof UserRegistered>) { this.username = event.data.username; }
 * }
 */
export abstract class Aggregate {
  /** Overrides the class name as the stored aggregate type (set it: minifiers rename classes). */
  static readonly aggregateType?: string;
  /** Bump when the aggregate's state shape changes: snapshots taken with another version are ignored. */
  static readonly snapshotVersion: number = 1;
  /**
   * The events this aggregate applies (`static override readonly events = [A, B] as const`). Opt-in:
   * with it, `store.load`/`update` check the `apply<Name>` methods at compile time, and loading
   * registers the definitions with the store.
   */
  static readonly events?: readonly EventDefinition[];

  #id: string;
  #version = 0;
  #uncommitted: Event[] = [];

  constructor(id: string = uuidv7()) {
    checkId('aggregate id', id);
    this.#id = id;
  }

  get id(): string {
    return this.#id;
  }

  /** Events applied so far, committed or not. */
  get version(): number {
    return this.#version;
  }

  /** The stored aggregate type of this instance. */
  get aggregateType(): string {
    return aggregateTypeOf(this.constructor as AggregateClass);
  }

  /** True before the first event is applied. */
  isNew(): boolean {
    return this.#version === 0;
  }

  /** Events applied since the last save, oldest first. */
  getUncommittedEvents(): readonly Event[] {
    return this.#uncommitted;
  }

  /** Forgets the uncommitted events (the store calls it after a save). */
  markEventsAsCommitted(): void {
    this.#uncommitted = [];
  }

  /**
   * Records a new event: calls `apply<EventType>(event)` and queues it for the next save.
   * When the handler throws, nothing changes.
   */
  protected apply(event: NewEvent): void {
    const envelope: Event = {
      eventId: event.eventId,
      eventType: event.eventType,
      aggregateId: this.#id,
      aggregateType: this.aggregateType,
      aggregateVersion: this.#version + 1,
      globalPosition: 0n,
      timestamp: event.timestamp,
      schemaVersion: event.schemaVersion,
      metadata: event.metadata,
      data: event.data,
    };
    const definition = definitionOf(event);
    if (definition) markValidated(envelope, definition);
    this.#dispatch(envelope);
    this.#version += 1;
    this.#uncommitted.push(envelope);
  }

  /** The state a snapshot stores. Defaults to the instance's own enumerable fields. */
  toSnapshot(): unknown {
    return { ...this };
  }

  /**
   * Restores state from `toSnapshot()`'s value. Defaults to assigning the fields back. Throw on a
   * state you cannot read: `load()` then replays every event instead, and warns (`onWarning`).
   */
  restoreSnapshot(state: unknown): void {
    Object.assign(this, state);
  }

  #dispatch(event: Event): void {
    const handler = (this as unknown as Record<string, unknown>)[`apply${event.eventType}`];
    if (typeof handler !== 'function') throw new MissingEventHandlerError(this.aggregateType, event.eventType);
    (handler as (e: Event) => void).call(this, event);
  }

  static {
    internals = {
      replay(aggregate, events) {
        for (const event of events) {
          aggregate.#dispatch(event);
          aggregate.#version = event.aggregateVersion;
        }
      },
      restore(aggregate, version, state) {
        aggregate.restoreSnapshot(state);
        aggregate.#version = version;
      },
      commit(aggregate, count) {
        // Events applied while the save was in flight stay uncommitted.
        aggregate.#uncommitted = aggregate.#uncommitted.slice(count);
      },
      uncommit(aggregate, events) {
        aggregate.#uncommitted = [...events, ...aggregate.#uncommitted];
      },
    };
  }
}
