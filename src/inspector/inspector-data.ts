import type { DeadLetterRecord } from '../store/coordination.js';
import type { EventStore } from '../event-store/event-store.js';
import type { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import { SagaIndex } from '../saga/saga-index.js';
import { SAGA_AGGREGATE_TYPE, type SagaState } from '../saga/saga-instance.js';
import { inspectRecord, metadataText, type InspectedEvent } from './inspected-event.js';
import { eventRate, recentRecords, type EventRate } from './recent-records.js';

/** Lag is counted up to this many events; a subscription further behind shows `LAG_CAP+`. */
export const LAG_CAP = 1000;
/** The overview's chart reads at most this many recent events. */
const RATE_READ_LIMIT = 5000;
/** Correlated events are looked for among this many recent events. */
const LINK_SCAN_LIMIT = 10_000;
/** The stream browser groups at most this many events of a type into streams. */
const TYPE_SCAN_LIMIT = 5000;
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

/** @internal the inspector's reads, over the store's public API and its storage port. */
export class InspectorData {
  readonly #sagas: SagaIndex;

  constructor(
    readonly store: EventStore,
    readonly subscriptionList: readonly InspectedSubscription[],
  ) {
    this.#sagas = new SagaIndex(store);
  }

  head(): Promise<bigint> {
    return this.store.adapter.globalPosition();
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

  async subscriptions(): Promise<SubscriptionInfo[]> {
    const { adapter } = this.store;
    return Promise.all(
      this.subscriptionList.map(async (entry) => {
        const id = typeof entry === 'string' ? entry : entry.id;
        const options = typeof entry === 'string' ? undefined : entry.options;
        const [owner, checkpoint, letters] = await Promise.all([
          adapter.leaseHolder(`subscription:${id}`),
          adapter.loadCheckpoint(id),
          adapter.listDeadLetters(id),
        ]);
        const pending = await adapter.readAll({
          after: checkpoint ?? 0n,
          limit: LAG_CAP,
          eventTypes: options?.eventTypes,
          aggregateTypes: options?.aggregateTypes,
        });
        return {
          id,
          owner,
          checkpoint: checkpoint === null ? null : checkpoint.toString(),
          lag: pending.length,
          lagCapped: pending.length >= LAG_CAP,
          deadLetters: letters.length,
          replayable: typeof entry !== 'string',
        };
      }),
    );
  }

  async deadLetters(): Promise<DeadLetterInfo[]> {
    const ids = this.subscriptionList.map((s) => (typeof s === 'string' ? s : s.id));
    const lists = await Promise.all(ids.map((id) => this.store.adapter.listDeadLetters(id)));
    return lists.flat().map(deadLetterInfo);
  }

  async deadLetter(id: string): Promise<DeadLetterInfo | undefined> {
    return (await this.deadLetters()).find((letter) => letter.id === id);
  }

  /** Streams by exact id, or of a type (from its first events); both narrow each other. */
  async streams(query: { id?: string | undefined; type?: string | undefined }): Promise<StreamSummary[]> {
    const { adapter } = this.store;
    if (query.id) {
      const info = await adapter.streamInfo(query.id);
      if (!info || (query.type && info.aggregateType !== query.type)) return [];
      return [{ aggregateId: query.id, aggregateType: info.aggregateType, version: info.version }];
    }
    const records = await adapter.readAll({
      after: 0n,
      limit: TYPE_SCAN_LIMIT,
      aggregateTypes: query.type ? [query.type] : undefined,
    });
    const streams = new Map<string, StreamSummary>();
    for (const r of records) {
      streams.set(r.aggregateId, { aggregateId: r.aggregateId, aggregateType: r.aggregateType, version: r.aggregateVersion });
    }
    return [...streams.values()];
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

  async sagas(status?: string): Promise<SagaState[]> {
    const all = await this.#sagas.refresh();
    return status ? all.filter((s) => s.status === status) : all;
  }

  /** The saga's state and its transitions (the events of its stream). */
  async saga(sagaId: string): Promise<{ state: SagaState; steps: InspectedEvent[] } | undefined> {
    const state = (await this.#sagas.refresh()).find((s) => s.sagaId === sagaId);
    if (!state) return undefined;
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
