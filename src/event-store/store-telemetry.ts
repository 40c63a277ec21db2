import type { StorageAdapter } from '../store/adapter.js';
import type { Event } from '../core/event.js';
import { METRIC_NAMES, SPAN_ATTRIBUTES as ATTR } from '../observability/attribute-names.js';
import { errorType as errorTypeOf, type Instrumentation } from '../observability/instrumentation.js';
import type { MetricRecorder, SpanKindName, SpanStart, TelemetryAttributes, TraceSpan } from '../observability/span-types.js';

/** The store operations that get a span, named `eventuali.<operation>`. */
export type StoreOperation = 'append' | 'load' | 'read_all' | 'transaction' | 'handle';

const KINDS: Record<StoreOperation, SpanKindName> = {
  append: 'client',
  load: 'client',
  read_all: 'client',
  transaction: 'client',
  // A command: load, decide, append; its database calls are the client spans under it.
  handle: 'internal',
};

/** @internal a store's spans and metrics, with what every call would otherwise rebuild made once. */
export interface StoreTelemetry {
  readonly instrumentation: Instrumentation;
  readonly dbSystem: string;
  /** Per operation: its span's name, and how the span starts (kind, `db.*` attributes). */
  readonly spans: Readonly<Record<StoreOperation, { name: string; start: SpanStart }>>;
  /** `eventuali.events.appended`: events committed, by aggregate type and database. */
  readonly appended: MetricRecorder;
  /** `eventuali.append.duration`: seconds an append (or save) took, until committed or refused. */
  readonly appendDuration: MetricRecorder;
}

export function storeTelemetry(instrumentation: Instrumentation, adapter: StorageAdapter): StoreTelemetry {
  const dbSystem = adapter.dbSystem ?? 'other';
  const span = (operation: StoreOperation): { name: string; start: SpanStart } => ({
    name: `eventuali.${operation}`,
    start: {
      kind: KINDS[operation],
      attributes: { [ATTR.dbSystem]: dbSystem, [ATTR.dbNamespace]: adapter.dbNamespace, [ATTR.dbOperation]: operation },
    },
  });
  return {
    instrumentation,
    dbSystem,
    spans: {
      append: span('append'),
      load: span('load'),
      read_all: span('read_all'),
      transaction: span('transaction'),
      handle: span('handle'),
    },
    appended: instrumentation.counter(METRIC_NAMES.eventsAppended, { description: 'Events committed to the store', unit: '{event}' }),
    appendDuration: instrumentation.histogram(METRIC_NAMES.appendDuration, {
      description: 'Duration of appends, until committed or refused',
      unit: 's',
      boundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  };
}

/** Runs `fn` in the operation's span (`eventuali.append`, …); without tracing, just runs it. */
export function storeSpan<T>(telemetry: StoreTelemetry, operation: StoreOperation, fn: (span: TraceSpan | undefined) => Promise<T>): Promise<T> {
  const { name, start } = telemetry.spans[operation];
  return telemetry.instrumentation.span(name, start, fn);
}

/** A global position as an attribute: a number while exact, else its decimal string. */
export function positionValue(position: bigint): number | string {
  return position <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(position) : position.toString();
}

/** What a span says about events it appended or read: count, the one event type, positions, last version. */
export function eventAttributes(events: readonly Event[]): TelemetryAttributes {
  const first = events[0];
  const last = events.at(-1);
  if (first === undefined || last === undefined) return { [ATTR.eventCount]: 0 };
  const type = events.every((e) => e.eventType === first.eventType) ? first.eventType : undefined;
  return {
    [ATTR.eventCount]: events.length,
    [ATTR.eventType]: type,
    [ATTR.positionFirst]: positionValue(first.globalPosition),
    [ATTR.positionLast]: positionValue(last.globalPosition),
  };
}

/** The aggregate a span is about (left out when the caller passed something else than strings). */
export function aggregateAttributes(aggregateType: unknown, aggregateId: unknown): TelemetryAttributes {
  return {
    [ATTR.aggregateType]: typeof aggregateType === 'string' ? aggregateType : undefined,
    [ATTR.aggregateId]: typeof aggregateId === 'string' ? aggregateId : undefined,
  };
}

/**
 * Runs an append (or save) and records its duration, with `error.type` when it failed. Reads the
 * clock only while metrics are being recorded.
 */
export function timedAppend<T>(telemetry: StoreTelemetry, aggregateType: string, fn: () => Promise<T>): Promise<T> {
  return telemetry.instrumentation.metrics ? timed(telemetry, aggregateType, fn) : fn();
}

async function timed<T>(telemetry: StoreTelemetry, aggregateType: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let errorType: string | undefined;
  try {
    return await fn();
  } catch (error) {
    errorType = errorTypeOf(error);
    throw error;
  } finally {
    telemetry.appendDuration.record((performance.now() - started) / 1000, {
      [ATTR.aggregateType]: aggregateType,
      [ATTR.dbSystem]: telemetry.dbSystem,
      [ATTR.errorType]: errorType,
    });
  }
}

/** Counts committed events by aggregate type (after the commit, so a rolled-back transaction counts nothing). */
export function countAppended(telemetry: StoreTelemetry, events: readonly Event[]): void {
  if (events.length === 0 || !telemetry.instrumentation.metrics) return;
  let type = events[0]?.aggregateType;
  let count = 0;
  for (const event of events) {
    if (event.aggregateType !== type) {
      telemetry.appended.record(count, { [ATTR.aggregateType]: type, [ATTR.dbSystem]: telemetry.dbSystem });
      type = event.aggregateType;
      count = 0;
    }
    count++;
  }
  telemetry.appended.record(count, { [ATTR.aggregateType]: type, [ATTR.dbSystem]: telemetry.dbSystem });
}
