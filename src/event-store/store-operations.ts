import type { EventRecord, ExpectedVersion, StorageSession } from '../store/event-log.js';
import type { StorageAdapter } from '../store/adapter.js';
import { aggregateInternals, aggregateTypeOf, type Aggregate, type AggregateClass } from '../core/aggregate.js';
import { AggregateTypeMismatchError, describeValue, InvalidArgumentError } from '../core/errors.js';
import { MAX_AGGREGATE_VERSION } from '../core/limits.js';
import { checkId, definitionOf, type Event, type EventMetadata, type NewEvent } from '../core/event.js';
import type { EventRegistry } from '../core/event-registry.js';
import { appendedData, appendedMetadata, encodeEvent, envelope } from '../core/serializer.js';
import type { Projection } from '../projections/projection.js';
import type { ProjectionSession } from '../store/coordination.js';
import { runInlineProjections } from '../projections/inline-projections.js';
import { decodeSnapshot, encodeSnapshot } from '../core/snapshot-codec.js';
import { withTraceContext } from '../core/trace-metadata.js';
import type { Instrumentation } from '../observability/instrumentation.js';
import { aggregateAttributes, eventAttributes, storeSpan, type StoreTelemetry } from './store-telemetry.js';
import { SPAN_ATTRIBUTES as ATTR } from '../observability/attribute-names.js';

/** @internal what the store's operations share, inside a transaction or not. */
export interface StoreContext {
  readonly adapter: StorageAdapter;
  /** Projections run inside every append's transaction. */
  readonly inlineProjections: Projection[];

  readonly registry: EventRegistry;
  readonly snapshotEvery: number | undefined;
  readonly warn: (message: string, error: unknown) => void;
  /** Spans, metrics and the logger (all no-ops without a provider or logger). */
  readonly instrumentation: Instrumentation;
  /** The store's own spans and metrics. */
  readonly telemetry: StoreTelemetry;
}

/** An append: the envelopes, plus the aggregate saved (to snapshot, or to restore on a rollback). */
export interface Committed {
  events: Event[];
  saved?: {
    aggregate: Aggregate;
    /** Its uncommitted events before the save, for a transaction that rolls back. */
    pending: readonly Event[];
    /** Its version crossed a multiple of `snapshotEvery`. */
    snapshot: boolean;
  };
}

export function checkExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no-stream') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidArgumentError('expectedVersion', `must be a non-negative integer, 'any' or 'no-stream', got ${describeValue(expected)}`);
  }
}

/**
 * Appends events to one aggregate, in an `eventuali.append` span. `pending` are the events as
 * the caller holds them. With tracing on, each event's metadata gets the trace context.
 */
export function appendEvents(
  ctx: StoreContext,
  session: StorageSession,
  aggregateType: string,
  aggregateId: string,
  expectedVersion: ExpectedVersion,
  pending: readonly (NewEvent | Event)[],
  /** The pending events are the aggregate's own envelopes: complete them in place instead of copying. */
  ownEnvelopes = false,
): Promise<Event[]> {
  // The hot path: with no provider (or tracing off), no span closure and no extra await.
  if (!ctx.telemetry.instrumentation.tracing) return appendUntraced(ctx, session, aggregateType, aggregateId, expectedVersion, pending, ownEnvelopes);
  return storeSpan(ctx.telemetry, 'append', async (span) => {
    if (span) {
      span.setAttributes(aggregateAttributes(aggregateType, aggregateId));
      if (typeof expectedVersion === 'number') span.setAttribute(ATTR.expectedVersion, expectedVersion);
    }
    const events = await appendUntraced(ctx, session, aggregateType, aggregateId, expectedVersion, pending, ownEnvelopes);
    if (span) {
      span.setAttributes(eventAttributes(events));
      const last = events.at(-1);
      if (last) span.setAttribute(ATTR.version, last.aggregateVersion);
    }
    return events;
  });
}

async function appendUntraced(
  ctx: StoreContext,
  session: StorageSession,
  aggregateType: string,
  aggregateId: string,
  expectedVersion: ExpectedVersion,
  pending: readonly (NewEvent | Event)[],
  ownEnvelopes: boolean,
): Promise<Event[]> {
  checkId('aggregate id', aggregateId);
  checkId('aggregate type', aggregateType);
  checkExpectedVersion(expectedVersion);
  if (!Array.isArray(pending)) throw new InvalidArgumentError('events', 'must be an array');
  if (pending.length === 0) return [];
  if (typeof expectedVersion === 'number' && expectedVersion + pending.length > MAX_AGGREGATE_VERSION) {
    throw new InvalidArgumentError('events', `would take ${aggregateId} past version ${MAX_AGGREGATE_VERSION}, the largest aggregate version`);
  }
  const seen = new Set<string>();
  const data: unknown[] = [];
  const metadata: EventMetadata[] = [];
  // The producing span's context, for the handlers that will process these events (one per append).
  const traceContext = ctx.instrumentation.traceContext();
  const records = pending.map((event) => {
    if (typeof event !== 'object' || event === null) throw new InvalidArgumentError('events', 'holds a non-object');
    checkId('eventId', event.eventId);
    if (seen.has(event.eventId)) throw new InvalidArgumentError('events', `event id ${event.eventId} appears twice in one batch`);
    seen.add(event.eventId);
    // The definition that validated the event in create(): no second validation, and no need to
    // have registered its type by hand.
    const definition = definitionOf(event);
    if (definition) ctx.registry.register(definition);
    const compiled = definition ? undefined : ctx.registry.get(event.eventType);
    const value = appendedData(event, definition, compiled);
    // Added after the metadata schema ran: a strict schema sees only the application's keys.
    const checkedMetadata = withTraceContext(appendedMetadata(event, definition, compiled), traceContext);
    data.push(value);
    metadata.push(checkedMetadata);
    return encodeEvent(event, value, checkedMetadata);
  });
  const stored = await session.append({ aggregateId, aggregateType, expectedVersion, events: records });
  const events = ownEnvelopes
    ? stored.map((record, i) => completeEnvelope(pending[i] as Event, record, traceContext && metadata[i]))
    : stored.map((record, i) => envelope(record, (pending[i] as NewEvent | Event).schemaVersion, metadata[i] ?? {}, data[i]));
  if (ctx.inlineProjections.length > 0) await runInlineProjections(ctx.inlineProjections, session as StorageSession & Partial<ProjectionSession>, events);
  return events;
}

function completeEnvelope(event: Event, record: EventRecord, metadata: EventMetadata | undefined): Event {
  if (metadata !== undefined) event.metadata = metadata;
  event.globalPosition = record.globalPosition;
  event.aggregateVersion = record.aggregateVersion;
  event.timestamp = record.timestamp;
  return event;
}

/** Appends an aggregate's uncommitted events, expecting the version it was loaded at. */
export async function saveAggregate(ctx: StoreContext, session: StorageSession, aggregate: Aggregate): Promise<Committed> {
  const pending = aggregate.getUncommittedEvents();
  if (pending.length === 0) return { events: [] };
  const loadedAt = aggregate.version - pending.length;
  const before = [...pending];
  const events = await appendEvents(ctx, session, aggregate.aggregateType, aggregate.id, loadedAt, before, true);
  aggregateInternals().commit(aggregate, events.length);
  const every = ctx.snapshotEvery;
  const snapshot = every !== undefined && Math.floor(loadedAt / every) < Math.floor(aggregate.version / every);
  return { events, saved: { aggregate, pending: before, snapshot } };
}

/** Writes the snapshot of a committed aggregate. A snapshot is a cache: a failure only warns. */
export async function writeSnapshot(ctx: StoreContext, aggregate: Aggregate): Promise<void> {
  try {
    const cls = aggregate.constructor as AggregateClass;
    await ctx.adapter.saveSnapshot({
      aggregateId: aggregate.id,
      aggregateType: aggregate.aggregateType,
      aggregateVersion: aggregate.version,
      snapshotVersion: cls.snapshotVersion ?? 1,
      state: encodeSnapshot(aggregate.toSnapshot()),
    });
  } catch (error) {
    ctx.warn(`snapshot of ${aggregate.aggregateType} ${aggregate.id} at version ${aggregate.version} was not written`, error);
  }
}

/**
 * Rebuilds an aggregate from its newest usable snapshot and the events after it; null if it has
 * no events. In an `eventuali.load` span.
 */
export function loadAggregate<T extends Aggregate>(
  ctx: StoreContext,
  session: StorageSession,
  cls: AggregateClass<T>,
  aggregateId: string,
): Promise<T | null> {
  return storeSpan(ctx.telemetry, 'load', async (span) => {
    span?.setAttributes(aggregateAttributes(typeof cls === 'function' ? aggregateTypeOf(cls) : undefined, aggregateId));
    const aggregate = await loadUntraced(ctx, session, cls, aggregateId);
    if (span && aggregate) span.setAttribute(ATTR.version, aggregate.version);
    return aggregate;
  });
}

async function loadUntraced<T extends Aggregate>(
  ctx: StoreContext,
  session: StorageSession,
  cls: AggregateClass<T>,
  aggregateId: string,
): Promise<T | null> {
  checkId('aggregate id', aggregateId);
  if (Array.isArray(cls.events)) ctx.registry.registerAll(cls.events);
  const aggregateType = aggregateTypeOf(cls);
  const snapshot = ctx.snapshotEvery === undefined ? null : await readSnapshot(ctx, cls, aggregateType, aggregateId);
  if (snapshot) {
    const aggregate = new cls(aggregateId);
    try {
      aggregateInternals().restore(aggregate, snapshot.version, snapshot.state);
    } catch (error) {
      // A snapshot is a cache: one the class can no longer restore is ignored.
      ctx.warn(`snapshot of ${aggregateType} ${aggregateId} could not be restored; replaying all events`, error);
      return rebuild(ctx, new cls(aggregateId), aggregateType, await session.readStream(aggregateId, { fromVersion: 1 }));
    }
    return rebuild(ctx, aggregate, aggregateType, await session.readStream(aggregateId, { fromVersion: snapshot.version + 1 }));
  }
  const records = await session.readStream(aggregateId, { fromVersion: 1 });
  return records.length === 0 ? null : rebuild(ctx, new cls(aggregateId), aggregateType, records);
}

function rebuild<T extends Aggregate>(ctx: StoreContext, aggregate: T, aggregateType: string, records: readonly EventRecord[]): T {
  const first = records[0];
  if (first && first.aggregateType !== aggregateType) {
    throw new AggregateTypeMismatchError(aggregate.id, aggregateType, first.aggregateType);
  }
  aggregateInternals().replay(aggregate, ctx.registry.decodeAll(records, 'error'));
  return aggregate;
}

async function readSnapshot(
  ctx: StoreContext,
  cls: AggregateClass,
  aggregateType: string,
  aggregateId: string,
): Promise<{ version: number; state: unknown } | null> {
  const record = await ctx.adapter.loadSnapshot(aggregateId, cls.snapshotVersion ?? 1);
  if (!record || record.aggregateType !== aggregateType) return null;
  try {
    return { version: record.aggregateVersion, state: decodeSnapshot(record.state) };
  } catch (error) {
    ctx.warn(`snapshot of ${aggregateType} ${aggregateId} does not decode; replaying all events`, error);
    return null;
  }
}
