import type { EventRecord, ReadAllQuery, ReadStreamQuery } from '../event-log.js';

type Unpositioned = Omit<EventRecord, 'globalPosition'>;

/** @internal the memory adapter's committed log; positions strictly increase in commit order. */
export class MemoryLog {
  readonly records: EventRecord[] = [];
  readonly streams = new Map<string, EventRecord[]>();
  readonly ids = new Map<string, EventRecord>();

  lastPosition(): bigint {
    return this.records.at(-1)?.globalPosition ?? 0n;
  }

  streamInfo(aggregateId: string): { version: number; aggregateType: string } | null {
    const last = this.streams.get(aggregateId)?.at(-1);
    return last ? { version: last.aggregateVersion, aggregateType: last.aggregateType } : null;
  }

  readStream(aggregateId: string, query: ReadStreamQuery): EventRecord[] {
    return sliceVersions(this.streams.get(aggregateId) ?? [], query);
  }

  readAll(query: ReadAllQuery): EventRecord[] {
    const out: EventRecord[] = [];
    const eventTypes = query.eventTypes && new Set(query.eventTypes);
    const aggregateTypes = query.aggregateTypes && new Set(query.aggregateTypes);
    for (let i = firstAfter(this.records, query.after); i < this.records.length && out.length < query.limit; i++) {
      const record = this.records[i] as EventRecord;
      if (eventTypes && !eventTypes.has(record.eventType)) continue;
      if (aggregateTypes && !aggregateTypes.has(record.aggregateType)) continue;
      out.push(record);
    }
    return out;
  }

  /** The record at `position`, if any. */
  atPosition(position: bigint): EventRecord | undefined {
    const record = this.records[firstAfter(this.records, position - 1n)];
    return record?.globalPosition === position ? record : undefined;
  }

  /** Puts an imported record in its place by position (and by version in its stream). */
  place(record: EventRecord): void {
    this.records.splice(firstAfter(this.records, record.globalPosition), 0, record);
    this.ids.set(record.eventId, record);
    const stream = this.streams.get(record.aggregateId);
    if (!stream) this.streams.set(record.aggregateId, [record]);
    else {
      let i = stream.length;
      while (i > 0 && (stream[i - 1] as EventRecord).aggregateVersion > record.aggregateVersion) i--;
      stream.splice(i, 0, record);
    }
  }

  /** A view that adds records on top of the log, visible to the log's readers only after commit(). */
  stage(): StagedLog {
    return new StagedLog(this);
  }
}

/** @internal */
export class StagedLog {
  readonly #added: EventRecord[] = [];
  readonly #streams = new Map<string, EventRecord[]>();
  readonly #ids = new Map<string, EventRecord>();

  constructor(private readonly base: MemoryLog) {}

  streamInfo(aggregateId: string): { version: number; aggregateType: string } | null {
    const last = this.#streams.get(aggregateId)?.at(-1);
    return last ? { version: last.aggregateVersion, aggregateType: last.aggregateType } : this.base.streamInfo(aggregateId);
  }

  readStream(aggregateId: string, query: ReadStreamQuery): EventRecord[] {
    const all = [...(this.base.streams.get(aggregateId) ?? []), ...(this.#streams.get(aggregateId) ?? [])];
    return sliceVersions(all, query);
  }

  byEventId(eventId: string): EventRecord | undefined {
    return this.#ids.get(eventId) ?? this.base.ids.get(eventId);
  }

  add(event: Unpositioned): EventRecord {
    const record: EventRecord = { ...event, globalPosition: this.base.lastPosition() + BigInt(this.#added.length + 1) };
    this.#added.push(record);
    this.#ids.set(record.eventId, record);
    const stream = this.#streams.get(record.aggregateId);
    if (stream) stream.push(record);
    else this.#streams.set(record.aggregateId, [record]);
    return record;
  }

  commit(): void {
    for (const record of this.#added) {
      this.base.records.push(record);
      this.base.ids.set(record.eventId, record);
      const stream = this.base.streams.get(record.aggregateId);
      if (stream) stream.push(record);
      else this.base.streams.set(record.aggregateId, [record]);
    }
  }
}

function sliceVersions(stream: readonly EventRecord[], query: ReadStreamQuery): EventRecord[] {
  // Versions have no gaps, so version v sits at index v - first: first is 1, unless the stream was
  // imported from an export that started after its first events.
  const first = stream[0]?.aggregateVersion ?? 1;
  const end = query.toVersion === undefined ? stream.length : Math.min(stream.length, query.toVersion - first + 1);
  return stream.slice(Math.max(0, query.fromVersion - first), Math.max(0, end));
}

function firstAfter(records: readonly EventRecord[], after: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid] as EventRecord).globalPosition <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
