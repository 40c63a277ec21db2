// #region stream-changes
import type { Decider, DeciderEventOf, Event, EventDefinition, EventStore, LoadedState, NewEvent } from '../shared/eventuali.js';

/** One stream's part of a command over several streams: the events its decider decided, at the version it was loaded. */
export interface StreamChange<S> {
  streamType: string;
  streamId: string;
  version: number;
  events: readonly NewEvent[];
  /** The stream's state and version once its events are stored. */
  after(stored: readonly Event[]): LoadedState<S>;
}

/** A decider's stream, or its initial state at version 0 when it has no events yet. */
export async function loadOrInitial<C, S, E extends readonly EventDefinition[]>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
): Promise<LoadedState<S>> {
  return (await store.loadState(decider, streamId)) ?? { state: decider.initialState(), version: 0 };
}

/** Runs the decider's `decide` on a loaded state; throws what `decide` throws (a broken rule). */
export function decideOn<C, S, E extends readonly EventDefinition[]>(
  decider: Decider<C, S, E>,
  streamId: string,
  loaded: LoadedState<S>,
  command: C,
): StreamChange<S> {
  const decided: unknown = decider.decide(command, loaded.state);
  const events = (decided === undefined ? [] : Array.isArray(decided) ? decided : [decided]) as NewEvent[];
  return {
    streamType: decider.streamType,
    streamId,
    version: loaded.version,
    events,
    after: (stored) => ({
      state: stored.reduce((state, event) => decider.evolve(state, event as DeciderEventOf<E>), loaded.state),
      version: loaded.version + stored.length,
    }),
  };
}

/**
 * `store.handle()` decides and appends for one stream. A command over several streams decides on
 * each with its decider, then appends them here in one transaction, each expecting the version it
 * was decided at: all of them or none, and a stream another writer moved meanwhile is a
 * ConcurrencyError (the caller loads and decides again). Returns the stored events of each change,
 * in order, for `change.after()`.
 */
export function appendTogether(store: EventStore, changes: readonly StreamChange<unknown>[]): Promise<Event[][]> {
  return store.transaction(async (tx) => {
    const stored: Event[][] = [];
    for (const change of changes) {
      stored.push(change.events.length === 0 ? [] : await tx.append(change.streamType, change.streamId, change.version, change.events));
    }
    return stored;
  });
}
// #endregion
