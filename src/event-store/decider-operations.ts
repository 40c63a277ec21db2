import type { EventRecord, StorageSession } from '../store/event-log.js';
import { decideEvents, deciderEventTypes, evolveAll, type Decider, type DeciderEventOf } from '../core/decider.js';
import { AggregateTypeMismatchError, ConcurrencyError } from '../core/errors.js';
import { checkId, type EventDefinition } from '../core/event.js';
import { checkMetadataOption, checkRetryOptions, type CommandHost, type HandleOptions } from './command-options.js';
import { decodeSnapshot, encodeSnapshot } from '../core/snapshot-codec.js';
import type { StoreContext } from './store-operations.js';
import { aggregateAttributes, storeSpan } from './store-telemetry.js';
import { SPAN_ATTRIBUTES } from '../observability/attribute-names.js';

/** A decider's stream as loaded: its state and the version it is at. */
export interface LoadedState<TState> {
  state: TState;
  version: number;
}

/** What `store.handle()` returns: the events it appended (none when `decide` returned none), the stream's version and state after them. */
export interface HandleResult<TState, TEvent = DeciderEventOf<readonly EventDefinition[]>> {
  events: TEvent[];
  version: number;
  state: TState;
}

/**
 * `store.handle()`: loads the stream's state (`initialState()` at version 0 when it has no events),
 * runs `decide`, appends its events expecting the loaded version, evolves the state over them.
 * Without `expectedVersion` a conflict loads and decides again, at most `maxRetries` more times.
 */
export async function handleCommand<C, S, E extends readonly EventDefinition[]>(
  host: CommandHost,
  decider: Decider<C, S, E>,
  aggregateId: string,
  command: C,
  options: HandleOptions | undefined,
): Promise<HandleResult<S, DeciderEventOf<E>>> {
  deciderEventTypes(decider);
  checkId('aggregate id', aggregateId);
  const { expectedVersion, maxRetries } = checkRetryOptions('handle options', options);
  const metadata = checkMetadataOption(options?.metadata);
  const { ctx } = host;
  const anyDecider = decider as unknown as Decider;
  for (let attempt = 0; ; attempt++) {
    const loaded = (await loadDeciderState(ctx, ctx.adapter, decider, aggregateId)) ?? { state: decider.initialState(), version: 0 };
    if (expectedVersion !== undefined && loaded.version !== expectedVersion) {
      throw new ConcurrencyError(aggregateId, expectedVersion, loaded.version);
    }
    const events = decideEvents(anyDecider, command, loaded.state, metadata);
    if (events.length === 0) return { events: [], version: loaded.version, state: loaded.state };
    let stored;
    try {
      stored = await host.append(decider.streamType, aggregateId, loaded.version, events);
    } catch (error) {
      if (expectedVersion !== undefined || !(error instanceof ConcurrencyError) || attempt >= maxRetries) throw error;
      continue;
    }
    const state = evolveAll(anyDecider, loaded.state, stored) as S;
    const version = loaded.version + stored.length;
    const every = ctx.snapshotEvery;
    if (every !== undefined && Math.floor(loaded.version / every) < Math.floor(version / every)) {
      await writeDeciderSnapshot(ctx, anyDecider, aggregateId, version, state);
    }
    return { events: stored as DeciderEventOf<E>[], version, state };
  }
}

/**
 * A decider's stream state: from its newest usable snapshot and the events after it, evolved
 * from `initialState()`; null when it has no events. An id whose events belong to another
 * stream type is an `AggregateTypeMismatchError`.
 */
export function loadDeciderState<C, S, E extends readonly EventDefinition[]>(
  ctx: StoreContext,
  session: StorageSession,
  decider: Decider<C, S, E>,
  aggregateId: string,
): Promise<LoadedState<S> | null> {
  return storeSpan(ctx.telemetry, 'load', async (span) => {
    span?.setAttributes(aggregateAttributes(decider?.streamType, aggregateId));
    const loaded = await loadStateUntraced(ctx, session, decider, aggregateId);
    if (span && loaded) span.setAttribute(SPAN_ATTRIBUTES.version, loaded.version);
    return loaded;
  });
}

async function loadStateUntraced<C, S, E extends readonly EventDefinition[]>(
  ctx: StoreContext,
  session: StorageSession,
  decider: Decider<C, S, E>,
  aggregateId: string,
): Promise<LoadedState<S> | null> {
  const anyDecider = decider as unknown as Decider<unknown, S>;
  deciderEventTypes(decider);
  checkId('aggregate id', aggregateId);
  ctx.registry.registerAll(decider.events);
  const snapshot = ctx.snapshotEvery === undefined ? null : await readDeciderSnapshot(ctx, anyDecider, aggregateId);
  const fromVersion = snapshot ? snapshot.version + 1 : 1;
  const records = await session.readStream(aggregateId, { fromVersion });
  if (!snapshot && records.length === 0) return null;
  checkStreamType(decider.streamType, aggregateId, records);
  const start = snapshot ?? { state: decider.initialState(), version: 0 };
  const state = evolveAll(anyDecider, start.state, ctx.registry.decodeAll(records, 'error'));
  return { state, version: records.at(-1)?.aggregateVersion ?? start.version };
}

function checkStreamType(streamType: string, aggregateId: string, records: readonly EventRecord[]): void {
  const first = records[0];
  if (first && first.aggregateType !== streamType) throw new AggregateTypeMismatchError(aggregateId, streamType, first.aggregateType);
}

async function readDeciderSnapshot<S>(ctx: StoreContext, decider: Decider<unknown, S>, aggregateId: string): Promise<LoadedState<S> | null> {
  const record = await ctx.adapter.loadSnapshot(aggregateId, decider.snapshotVersion);
  if (!record || record.aggregateType !== decider.streamType) return null;
  try {
    return { version: record.aggregateVersion, state: decodeSnapshot(record.state) as S };
  } catch (error) {
    ctx.warn(`snapshot of ${decider.streamType} ${aggregateId} does not decode; replaying all events`, error);
    return null;
  }
}

/** Writes a decider's state at `version` as a snapshot. A snapshot is a cache: a failure only warns. */
async function writeDeciderSnapshot(ctx: StoreContext, decider: Decider, aggregateId: string, version: number, state: unknown): Promise<void> {
  try {
    await ctx.adapter.saveSnapshot({
      aggregateId,
      aggregateType: decider.streamType,
      aggregateVersion: version,
      snapshotVersion: decider.snapshotVersion,
      state: encodeSnapshot(state),
    });
  } catch (error) {
    ctx.warn(`snapshot of ${decider.streamType} ${aggregateId} at version ${version} was not written`, error);
  }
}
