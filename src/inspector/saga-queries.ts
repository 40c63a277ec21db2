import { aggregateInternals } from '../core/aggregate.js';
import type { EventStore } from '../event-store/event-store.js';
import { SagaCompensated, SagaCompensationStarted, SagaCompleted, SagaFailed } from '../saga/saga-events.js';
import { SAGA_AGGREGATE_TYPE, SAGA_STATUSES, SagaInstance, type SagaState, type SagaStatus } from '../saga/saga-instance.js';
import type { InspectionStorage } from '../store/inspection.js';

/**
 * A saga's status follows from the newest of these events in its stream (none yet: running), so
 * sagas are counted and listed by status from the stream index, without folding every saga.
 */
const STATUS_BY_MARKER: Record<string, SagaStatus> = {
  [SagaCompensationStarted.type]: 'compensating',
  [SagaCompensated.type]: 'compensated',
  [SagaCompleted.type]: 'completed',
  [SagaFailed.type]: 'failed',
};
const MARKER_TYPES = Object.keys(STATUS_BY_MARKER);

function markerOf(status: SagaStatus): string | null {
  return Object.entries(STATUS_BY_MARKER).find(([, s]) => s === status)?.[0] ?? null;
}

/** How many sagas have each status. */
export async function sagaCountsByStatus(inspection: InspectionStorage): Promise<Record<SagaStatus, number>> {
  const counts = Object.fromEntries(SAGA_STATUSES.map((s) => [s, 0])) as Record<SagaStatus, number>;
  for (const { marker, streams } of await inspection.countStreamsByMarker(SAGA_AGGREGATE_TYPE, MARKER_TYPES)) {
    const status = marker === null ? 'running' : STATUS_BY_MARKER[marker];
    if (status) counts[status] += streams;
  }
  return counts;
}

/** One saga's state, folded from its stream; undefined when it has no saga events. */
export async function loadSaga(store: EventStore, sagaId: string): Promise<SagaState | undefined> {
  const events = await store.loadEvents(sagaId);
  if (events.length === 0 || events[0]?.aggregateType !== SAGA_AGGREGATE_TYPE) return undefined;
  const saga = new SagaInstance(sagaId);
  aggregateInternals().replay(saga, events);
  return saga.toState();
}

/** A page of sagas (by id), of one status or all, each folded from its stream. */
export async function listSagas(store: EventStore, inspection: InspectionStorage, status: SagaStatus | undefined, limit: number): Promise<SagaState[]> {
  const streams = await inspection.listStreams({
    aggregateType: SAGA_AGGREGATE_TYPE,
    markerTypes: MARKER_TYPES,
    markers: status === undefined ? undefined : [markerOf(status)],
    limit,
  });
  const sagas = await Promise.all(streams.map((s) => loadSaga(store, s.aggregateId)));
  return sagas.filter((s): s is SagaState => s !== undefined);
}

export function isSagaStatus(text: string): text is SagaStatus {
  return (SAGA_STATUSES as readonly string[]).includes(text);
}
