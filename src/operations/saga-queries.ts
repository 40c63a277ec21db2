import { InvalidArgumentError } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { EventStore } from '../event-store/event-store.js';
import { SAGA_AGGREGATE_TYPE, SAGA_STATUSES, SagaInstance, type SagaState, type SagaStatus } from '../saga/saga-instance.js';
import type { StreamSummary } from '../store/inspection.js';
import { inspectionOf } from './inspection-of.js';

/**
 * The saga events that set a saga's status (`saga-instance.ts`): its newest one gives the status
 * (none yet: running). A saga's stream is indexed, so counting or filtering sagas by status reads
 * one index entry and a few of the saga's own events per saga, never the whole log.
 */
const STATUS_OF_MARKER: Readonly<Record<string, SagaStatus>> = {
  'eventuali.SagaCompensationStarted': 'compensating',
  'eventuali.SagaCompensated': 'compensated',
  'eventuali.SagaCompleted': 'completed',
  'eventuali.SagaFailed': 'failed',
};
const MARKER_TYPES = Object.keys(STATUS_OF_MARKER);

function statusOf(marker: string | null): SagaStatus {
  return (marker === null ? undefined : STATUS_OF_MARKER[marker]) ?? 'running';
}

function markersOf(status: SagaStatus): (string | null)[] {
  const markers: (string | null)[] = MARKER_TYPES.filter((m) => STATUS_OF_MARKER[m] === status);
  if (status === 'running') markers.push(null);
  return markers;
}

/** How many sagas have each status (every status present, zeros included). */
export async function countSagasByStatus(store: EventStore): Promise<Record<SagaStatus, number>> {
  const counts = Object.fromEntries(SAGA_STATUSES.map((s) => [s, 0])) as Record<SagaStatus, number>;
  for (const { marker, streams } of await inspectionOf(store).countStreamsByMarker(SAGA_AGGREGATE_TYPE, MARKER_TYPES)) {
    counts[statusOf(marker)] += streams;
  }
  return counts;
}

export interface SagaListQuery {
  status?: SagaStatus | undefined;
  /** Sagas after this saga id (the last one of the previous page). */
  after?: string | undefined;
  /** Default 50. */
  limit?: number | undefined;
}

/** A page of sagas (by saga id) with their state, each folded from its own stream. */
export async function listSagas(store: EventStore, query: SagaListQuery = {}): Promise<SagaState[]> {
  if (query.status !== undefined && !SAGA_STATUSES.includes(query.status)) {
    throw new InvalidArgumentError('status', `must be one of ${SAGA_STATUSES.join(', ')}`);
  }
  const streams: StreamSummary[] = await inspectionOf(store).listStreams({
    aggregateType: SAGA_AGGREGATE_TYPE,
    markerTypes: MARKER_TYPES,
    markers: query.status === undefined ? undefined : markersOf(query.status),
    after: query.after,
    limit: query.limit ?? 50,
  });
  const sagas: SagaState[] = [];
  for (const stream of streams) {
    const saga = await store.load(SagaInstance, stream.aggregateId);
    if (saga) sagas.push(saga.toState());
  }
  return sagas;
}

/** One entry of a saga's timeline: one of its stored transitions. */
export interface SagaTimelineEntry {
  at: Date;
  version: number;
  kind: 'started' | 'resumed' | 'step-completed' | 'step-failed' | 'compensation-started' | 'step-compensated' | 'compensated' | 'completed' | 'failed';
  step: string | null;
  /** The error of a failed step or compensation, the reason compensation started, or the owner that started or resumed it. */
  detail: string | null;
  /** Attempts made, for a failed step. */
  attempts: number | null;
}

export interface SagaDetails {
  state: SagaState;
  timeline: SagaTimelineEntry[];
}

/** A saga's state and its step timeline (failures and compensations included); null when no saga has this id. */
export async function sagaDetails(store: EventStore, sagaId: string): Promise<SagaDetails | null> {
  const events = await store.loadEvents(sagaId);
  const first = events[0];
  if (!first) return null;
  if (first.aggregateType !== SAGA_AGGREGATE_TYPE) {
    throw new InvalidArgumentError('sagaId', `${JSON.stringify(sagaId)} is a ${first.aggregateType} stream, not a saga`);
  }
  const saga = await store.load(SagaInstance, sagaId);
  if (!saga) return null;
  return { state: saga.toState(), timeline: events.map(timelineEntry) };
}

function timelineEntry(event: Event): SagaTimelineEntry {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const text = (key: string): string | null => (typeof data[key] === 'string' ? (data[key] as string) : null);
  const base = { at: event.timestamp, version: event.aggregateVersion, step: text('step'), detail: null, attempts: null };
  switch (event.eventType) {
    case 'eventuali.SagaStarted':
      return { ...base, kind: 'started', detail: text('name') };
    case 'eventuali.SagaResumed':
      return { ...base, kind: 'resumed', detail: text('owner') };
    case 'eventuali.SagaStepCompleted':
      return { ...base, kind: 'step-completed' };
    case 'eventuali.SagaStepFailed':
      return { ...base, kind: 'step-failed', detail: text('error'), attempts: typeof data.attempts === 'number' ? data.attempts : null };
    case 'eventuali.SagaCompensationStarted':
      return { ...base, kind: 'compensation-started', step: text('failedStep'), detail: text('reason') };
    case 'eventuali.SagaStepCompensated':
      return { ...base, kind: 'step-compensated' };
    case 'eventuali.SagaCompensated':
      return { ...base, kind: 'compensated' };
    case 'eventuali.SagaCompleted':
      return { ...base, kind: 'completed' };
    default:
      return { ...base, kind: 'failed', detail: text('reason') };
  }
}
