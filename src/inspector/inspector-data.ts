import { isEventualiError } from '../core/errors.js';
import type { DeadLetterRecord } from '../store/coordination.js';
import type { EventStore } from '../event-store/event-store.js';
import type { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import { SAGA_AGGREGATE_TYPE, type SagaState, type SagaStatus } from '../saga/saga-instance.js';
import type { InspectionStorage, StreamFilter } from '../store/inspection.js';
import { inspectionOf } from '../operations/inspection-of.js';
import { countSagasByStatus, listSagas, sagaDetails } from '../operations/saga-queries.js';
import { inspectRecord, metadataText, type InspectedEvent } from './inspected-event.js';
import { eventRate, recentRecords, type EventRate } from './recent-records.js';

/** Lag is counted up to this many events; a subscription further behind shows `LAG_CAP+`. */
export const LAG_CAP = 1000;
/** The overview's chart reads at most this many recent events. */
const RATE_READ_LIMIT = 5000;
/** Correlated events are looked for among this many recent events. */
const LINK_SCAN_LIMIT = 10_000;
/** Streams and sagas per page. */
export const LIST_PAGE = 50;
const STREAM_PAGE = 500;

export interface SubscriptionInfo {
  id: string;
  /** The instance holding its lease now, or null (none running). */
  owner: string | null;
  checkpoint: string | null;
  /** Matching events after the checkpoint, counted up to `LAG_CAP`. */
  lag: number;
  lagCapped: boolean;
  deadLetters: number;
  /** A handle in this process: its dead letters can be replayed from here. */
  replayable: boolean;
}

export interface DeadLetterInfo {
  id: string;
  subscriptionId: string;
  globalPosition: string;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  failedAt: string;
}

export interface StreamSummary {
  aggregateId: string;
  aggregateType: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface StreamPage {
  /** How many streams match the search. */
  total: number;
  streams: StreamSummary[];
  /** The `after` of the next page, or null on the last. */
  next: string | null;
}

export interface EventLinks {
  /** The event named by this one's causationId. */
  cause: InspectedEvent | null;
  /** Events whose causationId is this event (among recent events). */
  effects: InspectedEvent[];
  /** Other events with the same correlationId (among recent events), in log order. */
  correlated: InspectedEvent[];
}

/** A subscription the inspector reports on: a handle running in this process, or an id. */
export type InspectedSubscription = DurableSubscription | string;

/** @internal the inspector's reads: the store's operator queries (`store/inspection.ts`) and event log. */
export class InspectorData {
  readonly inspection: InspectionStorage;

  constructor(
    readonly store: EventStore,
    readonly subscriptionList: readonly InspectedSubscription[],
  ) {
    this.inspection = inspectionOf(store);
  }

  head(): Promise<bigint> {
    return this.store.adapter.globalPosition();
  }

  /**
   * How many streams (from the stream-heads index). The overview shows no event count: counting
   * 1,000,000 rows takes longer than the overview may (the head position says about as much;
   * `eventuali status` counts them).
   */
  countStreams(): Promise<number> {
    return this.inspection.countStreams();
  }

  async rate(now = new Date()): Promise<EventRate> {
    const records = await recentRecords(this.store.adapter, RATE_READ_LIMIT);
    return eventRate(records, now, 300, 10, RATE_READ_LIMIT);
  }

  async recent(limit: number): Promise<InspectedEvent[]> {
    return (await recentRecords(this.store.adapter, limit)).map(inspectRecord);
  }

  /** Events after `after` in log order (the live tail). */
  async after(after: bigint, limit: number): Promise<InspectedEvent[]> {
    return (await this.store.adapter.readAll({ after, limit })).map(inspectRecord);
  }

  handle(subscriptionId: string): DurableSubscription | undefined {
    return this.subscriptionList.find((s): s is DurableSubscription => typeof s !== 'string' && s.id === subscriptionId);
  }

  /** Every subscription the store keeps a checkpoint for, and those given in the options. */
  async subscriptions(): Promise<SubscriptionInfo[]> {
    const stored = new Map((await this.inspection.listSubscriptions()).map((s) => [s.subscriptionId, s]));
    const given = this.subscriptionList.map((s) => (typeof s === 'string' ? s : s.id));
    const ids = [...new Set([...stored.keys(), ...given])].sort();
    return Promise.all(
      ids.map(async (id) => {
        const summary = stored.get(id);
        const handle = this.handle(id);
        const position = summary?.position ?? 0n;
        const lag = await this.#lag(position, handle);
        return {
          id,
          owner: summary?.owner ?? (await this.store.adapter.leaseHolder(`subscription:${id}`)),
          checkpoint: summary && summary.position > 0n ? summary.position.toString() : null,
          lag,
          lagCapped: lag >= LAG_CAP,
          deadLetters: summary?.deadLetters ?? (await this.store.adapter.listDeadLetters(id)).length,
          replayable: handle !== undefined,
        };
      }),
    );
  }

  /** Events after the checkpoint, up to LAG_CAP: those the subscription takes when its handle is here. */
  async #lag(position: bigint, handle: DurableSubscription | undefined): Promise<number> {
    const { eventTypes, aggregateTypes } = handle?.options ?? {};
    if (!eventTypes && !aggregateTypes) return this.inspection.countEventsAfter(position, LAG_CAP);
    return (await this.store.adapter.readAll({ after: position, limit: LAG_CAP, eventTypes, aggregateTypes })).length;
  }

  async deadLetters(): Promise<DeadLetterInfo[]> {
    const ids = (await this.subscriptions()).filter((s) => s.deadLetters > 0).map((s) => s.id);
    const lists = await Promise.all(ids.map((id) => this.store.adapter.listDeadLetters(id)));
    return lists.flat().map(deadLetterInfo);
  }

  async deadLetter(id: string): Promise<DeadLetterInfo | undefined> {
    return (await this.deadLetters()).find((letter) => letter.id === id);
  }

  /** A page of streams whose id starts with `id`, of type `type` (both optional), in id order. */
  async streams(query: { id?: string | undefined; type?: string | undefined; after?: string | undefined }): Promise<StreamPage> {
    const filter: StreamFilter = { idPrefix: query.id || undefined, aggregateType: query.type || undefined };
    const [total, page] = await Promise.all([
      this.inspection.countStreams(filter),
      this.inspection.listStreams({ ...filter, after: query.after || undefined, limit: LIST_PAGE }),
    ]);
    const streams = page.map((s) => ({
      aggregateId: s.aggregateId,
      aggregateType: s.aggregateType,
      version: s.version,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    }));
    return { total, streams, next: page.length === LIST_PAGE ? (page.at(-1)?.aggregateId ?? null) : null };
  }

  async stream(aggregateId: string): Promise<InspectedEvent[]> {
    return (await this.store.adapter.readStream(aggregateId, { fromVersion: 1, toVersion: STREAM_PAGE })).map(inspectRecord);
  }

  async event(eventId: string): Promise<InspectedEvent | undefined> {
    const [record] = await this.store.adapter.readEvents([eventId]);
    return record ? inspectRecord(record) : undefined;
  }

  async links(event: InspectedEvent): Promise<EventLinks> {
    const causationId = metadataText(event, 'causationId');
    const correlationId = metadataText(event, 'correlationId');
    const cause = causationId ? await this.event(causationId) : undefined;
    const recent = await this.recent(LINK_SCAN_LIMIT);
    return {
      cause: cause ?? null,
      effects: recent.filter((e) => metadataText(e, 'causationId') === event.eventId),
      correlated: correlationId
        ? recent.filter((e) => e.eventId !== event.eventId && metadataText(e, 'correlationId') === correlationId)
        : [],
    };
  }

  sagaCounts(): Promise<Record<SagaStatus, number>> {
    return countSagasByStatus(this.store);
  }

  sagas(status?: SagaStatus): Promise<SagaState[]> {
    return listSagas(this.store, { status, limit: LIST_PAGE });
  }

  /** The saga's state and its transitions (the events of its stream). */
  async saga(sagaId: string): Promise<{ state: SagaState; steps: InspectedEvent[] } | undefined> {
    const details = await sagaDetails(this.store, sagaId).catch((error: unknown) => {
      if (isEventualiError(error, 'INVALID_ARGUMENT')) return null; // a stream, but not a saga's
      throw error;
    });
    if (!details) return undefined;
    const { state } = details;
    const records = await this.store.adapter.readStream(sagaId, { fromVersion: 1 });
    return { state, steps: records.filter((r) => r.aggregateType === SAGA_AGGREGATE_TYPE).map(inspectRecord) };
  }
}

function deadLetterInfo(letter: DeadLetterRecord): DeadLetterInfo {
  return {
    id: letter.id,
    subscriptionId: letter.subscriptionId,
    globalPosition: letter.globalPosition.toString(),
    eventId: letter.eventId,
    eventType: letter.eventType,
    error: letter.error,
    attempts: letter.attempts,
    failedAt: letter.failedAt.toISOString(),
  };
}
