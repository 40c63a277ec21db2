import type { AdapterCapabilities, StorageAdapter, TransactionSession } from '../adapter.js';
import type { AppendBatch, EventRecord, ReadAllQuery, ReadStreamQuery } from '../event-log.js';
import type { SnapshotRecord } from '../snapshots.js';
import { checkAggregateType, firstVersion, resolveRejectedAppend, versionMatches } from '../sql/append-rules.js';
import { AsyncLock } from '../async-lock.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { DeadLetterRecord, LeaseFence } from '../coordination.js';
import { MemoryDocuments } from './memory-documents.js';
import { MemoryLog, type StagedLog } from './memory-log.js';
import { MemorySubscriptions } from './memory-coordination.js';
import { MemoryInspection } from './memory-inspection.js';

/**
 * The reference adapter: no I/O, the same contract as the SQL adapters. What users' unit tests
 * run on (`EventStore.create('memory:')`).
 */
export class MemoryAdapter implements StorageAdapter {
  readonly capabilities: AdapterCapabilities = { concurrentWriters: false, listenNotify: false, persistent: false };
  readonly #log = new MemoryLog();
  readonly #snapshots = new Map<string, Map<number, SnapshotRecord>>();
  readonly #lock = new AsyncLock();
  readonly #subscriptions = new MemorySubscriptions();
  readonly documents = new MemoryDocuments(this);
  readonly inspection = new MemoryInspection(this.#log, this.#subscriptions);
  readonly replayRequests = this.#subscriptions.replayRequests();

  append(batch: AppendBatch): Promise<EventRecord[]> {
    return this.#lock.run(() => {
      const staged = this.#log.stage();
      const records = appendTo(staged, batch);
      staged.commit();
      return records;
    });
  }

  async readStream(aggregateId: string, query: ReadStreamQuery): Promise<EventRecord[]> {
    return this.#log.readStream(aggregateId, query);
  }

  async streamInfo(aggregateId: string): Promise<{ version: number; aggregateType: string } | null> {
    return this.#log.streamInfo(aggregateId);
  }

  async readAll(query: ReadAllQuery): Promise<EventRecord[]> {
    return this.#log.readAll(query);
  }

  async globalPosition(): Promise<bigint> {
    return this.#log.lastPosition();
  }

  transaction<T>(fn: (session: TransactionSession) => Promise<T>): Promise<T> {
    return this.#lock.run(async () => {
      const staged = this.#log.stage();
      const checkpoints: [string, bigint][] = [];
      const documents = this.documents.stage();
      const session: TransactionSession = {
        append: async (batch) => appendTo(staged, batch),
        readStream: async (aggregateId, query) => staged.readStream(aggregateId, query),
        streamInfo: async (aggregateId) => staged.streamInfo(aggregateId),
        query: async () => {
          throw new InvalidArgumentError('query', 'the memory adapter has no SQL: keep a memory read model in your own objects');
        },
        client: null,
        documents,
        saveCheckpoint: async (subscriptionId, position, fence) => {
          if (!this.#subscriptions.holds(fence)) return false;
          checkpoints.push([subscriptionId, position]);
          return true;
        },
      };
      const result = await fn(session);
      staged.commit();
      documents.commit();
      for (const [subscriptionId, position] of checkpoints) this.#subscriptions.saveCheckpoint(subscriptionId, position);
      return result;
    });
  }

  async loadSnapshot(aggregateId: string, snapshotVersion: number): Promise<SnapshotRecord | null> {
    return this.#snapshots.get(aggregateId)?.get(snapshotVersion) ?? null;
  }

  async saveSnapshot(snapshot: SnapshotRecord): Promise<void> {
    let byVersion = this.#snapshots.get(snapshot.aggregateId);
    if (!byVersion) this.#snapshots.set(snapshot.aggregateId, (byVersion = new Map()));
    const current = byVersion.get(snapshot.snapshotVersion);
    if (!current || current.aggregateVersion < snapshot.aggregateVersion) byVersion.set(snapshot.snapshotVersion, { ...snapshot });
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.#subscriptions.acquireLease(name, owner, ttlMs);
  }

  async leaseHolder(name: string): Promise<string | null> {
    return this.#subscriptions.leaseHolder(name);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.#subscriptions.releaseLease(name, owner);
  }

  async loadCheckpoint(subscriptionId: string): Promise<bigint | null> {
    return this.#subscriptions.loadCheckpoint(subscriptionId);
  }

  async saveCheckpoint(subscriptionId: string, position: bigint, fence?: LeaseFence): Promise<boolean> {
    return this.#subscriptions.saveCheckpoint(subscriptionId, position, fence);
  }

  async addDeadLetter(record: DeadLetterRecord): Promise<void> {
    this.#subscriptions.addDeadLetter(record);
  }

  async listDeadLetters(subscriptionId: string): Promise<DeadLetterRecord[]> {
    return this.#subscriptions.listDeadLetters(subscriptionId);
  }

  async deleteDeadLetter(id: string): Promise<void> {
    this.#subscriptions.deleteDeadLetter(id);
  }

  async readEvents(eventIds: readonly string[]): Promise<EventRecord[]> {
    return eventIds.map((id) => this.#log.ids.get(id)).filter((r) => r !== undefined);
  }

  async close(): Promise<void> {}
}

function appendTo(log: StagedLog, batch: AppendBatch): EventRecord[] {
  const info = log.streamInfo(batch.aggregateId);
  checkAggregateType(batch, info?.aggregateType);
  const current = info?.version ?? 0;
  const existing = batch.events.map((e) => log.byEventId(e.eventId)).filter((r) => r !== undefined);
  if (!versionMatches(batch.expectedVersion, current) || existing.length > 0) {
    return resolveRejectedAppend(batch, current, existing);
  }
  const base = firstVersion(batch.expectedVersion, current);
  return batch.events.map((event, i) =>
    log.add({ ...event, aggregateId: batch.aggregateId, aggregateType: batch.aggregateType, aggregateVersion: base + i }),
  );
}
