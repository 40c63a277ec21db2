import type { ExpectedVersion } from '../../../src/index.js';

/**
 * A plain in-memory model of the event store's observable rules, written from the design (§1, §3)
 * rather than from the adapters: the model-based tests run every adapter beside it.
 */

/** An event as the model stores it: data and metadata as JSON round-trips them. */
export interface ModelEvent {
  eventId: string;
  eventType: string;
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  timestamp: number;
  data: unknown;
  metadata: unknown;
}

export interface ModelBatch {
  aggregateId: string;
  aggregateType: string;
  expected: ExpectedVersion;
  events: Omit<ModelEvent, 'aggregateId' | 'aggregateType' | 'aggregateVersion'>[];
}

/** What an append does: the stored ids and versions (`fresh` false for an idempotent retry), or an error code. */
export type AppendOutcome =
  | { ok: true; events: { eventId: string; aggregateVersion: number; fresh: boolean }[] }
  | { ok: false; code: string; actual?: number };

export class StoreModel {
  readonly log: ModelEvent[] = [];
  readonly streams = new Map<string, ModelEvent[]>();
  readonly ids = new Map<string, ModelEvent>();
  /** Every batch tried, for retries. */
  readonly batches: ModelBatch[] = [];
  /** Per subscription id, how much of the log it has handled. */
  readonly checkpoints = new Map<string, number>();
  /** Newest snapshot per `${aggregateId}/${snapshotVersion}`. */
  readonly snapshots = new Map<string, { aggregateVersion: number; aggregateType: string; state: unknown }>();
  readonly counters = new Map<string, { total: number; version: number }>();
  nextId = 0;

  version(aggregateId: string): number {
    return this.streams.get(aggregateId)?.length ?? 0;
  }

  /** The rules of append: type, expected version, duplicate ids, idempotent retries; all or nothing. */
  append(batch: ModelBatch): AppendOutcome {
    if (batch.events.length === 0) return { ok: true, events: [] };
    const inBatch = new Set(batch.events.map((e) => e.eventId));
    if (inBatch.size !== batch.events.length) return { ok: false, code: 'INVALID_ARGUMENT' };
    const stream = this.streams.get(batch.aggregateId) ?? [];
    if (stream[0] && stream[0].aggregateType !== batch.aggregateType) return { ok: false, code: 'AGGREGATE_TYPE_MISMATCH' };
    const current = stream.length;
    const expected = batch.expected;
    const versionHolds = expected === 'any' || (expected === 'no-stream' ? current === 0 : current === expected);
    const stored = batch.events.map((e) => this.ids.get(e.eventId));
    if (versionHolds && stored.every((e) => e === undefined)) {
      const base = typeof expected === 'number' ? expected : current;
      const added = batch.events.map((e, i) => ({
        ...e,
        aggregateId: batch.aggregateId,
        aggregateType: batch.aggregateType,
        aggregateVersion: base + i + 1,
      }));
      for (const event of added) {
        this.log.push(event);
        this.ids.set(event.eventId, event);
      }
      this.streams.set(batch.aggregateId, [...stream, ...added]);
      return { ok: true, events: added.map((e) => ({ eventId: e.eventId, aggregateVersion: e.aggregateVersion, fresh: true })) };
    }
    // The same batch already stored, in order, at the versions it asked for: a retry.
    const first = stored[0];
    const retried =
      first !== undefined &&
      stored.every((e, i) => e !== undefined && e.aggregateId === batch.aggregateId && e.aggregateVersion === first.aggregateVersion + i) &&
      (typeof expected !== 'number' || first.aggregateVersion === expected + 1) &&
      (expected !== 'no-stream' || first.aggregateVersion === 1);
    if (retried) {
      return { ok: true, events: stored.map((e) => ({ eventId: e!.eventId, aggregateVersion: e!.aggregateVersion, fresh: false })) };
    }
    if (!versionHolds) return { ok: false, code: 'CONCURRENCY_CONFLICT', actual: current };
    return { ok: false, code: 'DUPLICATE_EVENT' };
  }

  /** Direct snapshot writes keep the newest version per aggregate and snapshot version. */
  saveSnapshot(aggregateId: string, snapshotVersion: number, aggregateVersion: number, aggregateType: string, state: unknown): void {
    const key = `${aggregateId}/${snapshotVersion}`;
    const current = this.snapshots.get(key);
    if (!current || current.aggregateVersion < aggregateVersion) this.snapshots.set(key, { aggregateVersion, aggregateType, state });
  }
}

/** JSON as the stores keep it: what JSON.stringify then JSON.parse makes of a value. */
export function asStored(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null');
}
