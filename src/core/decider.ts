import { describeValue, InvalidArgumentError, MissingEventHandlerError } from './errors.js';
import {
  checkId,
  definitionOf,
  markValidated,
  validMetadata,
  type Event,
  type EventDefinition,
  type EventMetadata,
  type EventOf,
  type MetadataOf,
  type NewEvent,
} from './event.js';
import type { SchemaOutput } from './schema.js';

/** An event definition a decider lists: any `defineEvent(...)` result. */
type AnyDefinition = EventDefinition;

/** The envelope of one of a decider's events, as `evolve` receives it: a union over `events`. */
export type DeciderEventOf<TEvents extends readonly AnyDefinition[]> = EventOf<TEvents[number]>;

/** A new event of one of a decider's events, as `decide` returns it (`X.create(...)`). */
export type DecidedEventOf<TEvents extends readonly AnyDefinition[]> = TEvents[number] extends infer D
  ? D extends EventDefinition<infer T, infer S, infer M>
    ? NewEvent<T, SchemaOutput<S>, MetadataOf<M>>
    : never
  : never;

/** What `decide` returns: one new event, several, or none (an empty array or nothing). */
export type Decision<TEvent> = TEvent | readonly TEvent[] | undefined | void;

/** What `defineDecider` takes: the decider's stream type, events and three pure functions. */
export interface DeciderDefinition<TCommand, TState, TEvents extends readonly AnyDefinition[]> {
  /** Stored as the aggregate type of its streams. */
  readonly streamType: string;
  /** Every event the decider records and replays; `evolve`'s event is their union. */
  readonly events: TEvents;
  /** The state of a stream with no events. Called for every new stream, so return a fresh value. */
  readonly initialState: () => TState;
  /** The state after one more event. Pure: return the new state (mutating and returning the old one is fine too). */
  readonly evolve: (state: NoInfer<TState>, event: DeciderEventOf<TEvents>) => NoInfer<TState>;
  /** The events a command records (`X.create(...)`), given the current state. Throw to refuse it. */
  readonly decide: (command: TCommand, state: NoInfer<TState>) => Decision<DecidedEventOf<TEvents>>;
  /** Bump when the state's shape changes: snapshots taken with another version are ignored (default 1). */
  readonly snapshotVersion?: number;
}

/** A decider: the pure functions of one stream type, ready for `store.handle()` and `deciderScenario()`. */
export interface Decider<TCommand = unknown, TState = unknown, TEvents extends readonly AnyDefinition[] = readonly AnyDefinition[]>
  extends DeciderDefinition<TCommand, TState, TEvents> {
  readonly snapshotVersion: number;
}

/** The state type of a decider: `StateOf<typeof Cart>`. */
export type StateOf<D> = D extends { readonly initialState: () => infer S } ? S : never;

/** The command type of a decider: `CommandOf<typeof Cart>`. */
export type CommandOf<D> = D extends { readonly decide: (command: infer C, state: never) => unknown } ? C : never;

/**
 * Defines a decider: a stream type's events, its initial state, `evolve` (state + event -> state)
 * and `decide` (command + state -> new events). Checks the definition; throws `InvalidArgumentError`.
 *
 * @example
 * const Cart = defineDecider({
 *   streamType: 'ShoppingCart',
 *   events: [ProductAdded, CartConfirmed],
 *   initialState: (): CartState => ({ status: 'open', items: [] }),
 *   evolve: (state, event) => (event.eventType === 'CartConfirmed' ? { ...state, status: 'confirmed' } : state),
 *   decide: (command: CartCommand, state) => {
 *     if (state.status !== 'open') throw new Error('cart is confirmed');
 *     return ProductAdded.create({ sku: command.sku });
 *   },
 * });
 * const { version, state } = await store.handle(Cart, 'cart-1', { type: 'add', sku: 'book' });
 */
export function defineDecider<TCommand, TState, const TEvents extends readonly AnyDefinition[]>(
  definition: DeciderDefinition<TCommand, TState, TEvents>,
): Decider<TCommand, TState, TEvents> {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidArgumentError('decider', `must be an object, got ${describeValue(definition)}`);
  }
  const { streamType, events, initialState, evolve, decide } = definition;
  checkId('decider streamType', streamType);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidArgumentError('decider events', `${streamType} needs a non-empty array of event definitions`);
  }
  const types = new Set<string>();
  for (const event of events as readonly unknown[]) {
    const d = event as Partial<EventDefinition> | null;
    if (typeof d !== 'object' || d === null || typeof d.type !== 'string' || typeof d.create !== 'function') {
      throw new InvalidArgumentError('decider events', `${streamType} lists ${describeValue(event)}, not an event definition (defineEvent)`);
    }
    if (types.has(d.type)) throw new InvalidArgumentError('decider events', `${streamType} lists ${d.type} twice`);
    types.add(d.type);
  }
  for (const [name, fn] of [['initialState', initialState], ['evolve', evolve], ['decide', decide]] as const) {
    if (typeof fn !== 'function') throw new InvalidArgumentError(`decider ${name}`, `${streamType} needs ${name} as a function`);
  }
  const snapshotVersion = definition.snapshotVersion ?? 1;
  if (!Number.isSafeInteger(snapshotVersion) || snapshotVersion < 1) {
    throw new InvalidArgumentError('decider snapshotVersion', `must be a positive integer, got ${describeValue(snapshotVersion)}`);
  }
  const decider: Decider<TCommand, TState, TEvents> = {
    streamType,
    events: Object.freeze([...events]) as unknown as TEvents,
    initialState,
    evolve,
    decide,
    snapshotVersion,
  };
  deciders.set(decider, types);
  return Object.freeze(decider);
}

// The event types of every decider defineDecider made: how the store tells one from a look-alike.
const deciders = new WeakMap<object, ReadonlySet<string>>();

/** @internal the event types of a decider `defineDecider` made; throws InvalidArgumentError for anything else. */
export function deciderEventTypes(decider: unknown): ReadonlySet<string> {
  const types = typeof decider === 'object' && decider !== null ? deciders.get(decider) : undefined;
  if (!types) throw new InvalidArgumentError('decider', `must be made by defineDecider(), got ${describeValue(decider)}`);
  return types;
}

/**
 * @internal runs `decide` and returns its events as an array, each a created event of one of the
 * decider's types, with `metadata` merged under each event's own. Throws what `decide` throws, or
 * InvalidArgumentError for a result that is not such events.
 */
export function decideEvents(decider: Decider, command: unknown, state: unknown, metadata?: EventMetadata): NewEvent[] {
  const types = deciderEventTypes(decider);
  const result: unknown = decider.decide(command, state);
  if (result === undefined) return [];
  const list: readonly unknown[] = Array.isArray(result) ? result : [result];
  const events = new Array<NewEvent>(list.length);
  for (let i = 0; i < list.length; i++) {
    const event = list[i] as NewEvent | null;
    const definition = typeof event === 'object' && event !== null ? definitionOf(event) : undefined;
    if (!definition) {
      const what = typeof (event as PromiseLike<unknown> | null)?.then === 'function' ? 'a Promise (decide is synchronous)' : describeValue(event);
      throw new InvalidArgumentError('decide', `${decider.streamType} returned ${what}, not an event made by an event definition's create()`);
    }
    if (!types.has(definition.type)) {
      throw new InvalidArgumentError('decide', `${decider.streamType} returned ${definition.type}, which is not one of its events`);
    }
    events[i] = metadata === undefined ? (event as NewEvent) : withMetadata(event as NewEvent, definition, metadata);
  }
  return events;
}

/** A copy of the event with the call's metadata under its own, checked again by its metadata schema. */
function withMetadata(event: NewEvent, definition: EventDefinition, metadata: EventMetadata): NewEvent {
  const copy: NewEvent = { ...event, metadata: validMetadata(definition, { ...metadata, ...event.metadata }) };
  markValidated(copy, definition);
  return copy;
}

/** @internal folds events into a state with the decider's `evolve`, refusing types it does not list. */
export function evolveAll<S>(decider: Decider<unknown, S>, state: S, events: readonly Event[]): S {
  const types = deciderEventTypes(decider);
  let current = state;
  for (const event of events) {
    if (!types.has(event.eventType)) {
      throw new MissingEventHandlerError(decider.streamType, event.eventType, `the decider ${decider.streamType} does not list ${event.eventType} in its events`);
    }
    current = (decider.evolve as (s: S, e: Event) => S)(current, event);
  }
  return current;
}
