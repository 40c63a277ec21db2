import type { EventRecord } from '../event-log.js';
import { prefixRange, type InspectionStorage, type StreamFilter, type StreamQuery, type StreamSummary, type SubscriptionSummary } from '../inspection.js';
import type { MemorySubscriptions } from './memory-coordination.js';
import type { MemoryLog } from './memory-log.js';

/** Aggregate ids in byte order (UTF-8), as the SQL adapters' indexes order them. */
function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** @internal the operator queries over the memory adapter's log: plain scans (it holds no index, and needs none). */
export class MemoryInspection implements InspectionStorage {
  constructor(
    private readonly log: MemoryLog,
    private readonly subscriptions: MemorySubscriptions,
  ) {}

  async countEvents(): Promise<number> {
    return this.log.records.length;
  }

  async countEventsAfter(position: bigint, max: number): Promise<number> {
    let n = 0;
    for (const record of this.log.records) if (record.globalPosition > position && ++n >= max) break;
    return n;
  }

  async countStreams(filter: StreamFilter = {}): Promise<number> {
    return this.#matching(filter).length;
  }

  async listStreams(query: StreamQuery): Promise<StreamSummary[]> {
    const after = query.after;
    return this.#matching(query)
      .filter((s) => after === undefined || compareIds(s.aggregateId, after) > 0)
      .sort((a, b) => compareIds(a.aggregateId, b.aggregateId))
      .slice(0, query.limit);
  }

  async countStreamsByMarker(aggregateType: string, markerTypes: readonly string[]): Promise<{ marker: string | null; streams: number }[]> {
    const counts = new Map<string | null, number>();
    for (const stream of this.#matching({ aggregateType, markerTypes })) counts.set(stream.marker, (counts.get(stream.marker) ?? 0) + 1);
    return [...counts].map(([marker, streams]) => ({ marker, streams }));
  }

  async listSubscriptions(): Promise<SubscriptionSummary[]> {
    return this.subscriptions.summaries();
  }

  #matching(filter: StreamFilter): StreamSummary[] {
    const [low, high] = prefixRange(filter.idPrefix ?? '');
    const markerTypes = new Set(filter.markerTypes ?? []);
    const markers = filter.markers && new Set(filter.markers);
    const out: StreamSummary[] = [];
    for (const [aggregateId, events] of this.log.streams) {
      const first = events[0];
      const last = events.at(-1);
      if (!first || !last) continue;
      if (filter.aggregateType !== undefined && first.aggregateType !== filter.aggregateType) continue;
      if (filter.idPrefix && (compareIds(aggregateId, low) < 0 || compareIds(aggregateId, high) >= 0)) continue;
      const marker = lastOfTypes(events, markerTypes);
      if (markers && !markers.has(marker)) continue;
      out.push({
        aggregateId,
        aggregateType: first.aggregateType,
        version: last.aggregateVersion,
        createdAt: first.timestamp,
        updatedAt: last.timestamp,
        marker,
      });
    }
    return out;
  }
}

function lastOfTypes(events: readonly EventRecord[], types: ReadonlySet<string>): string | null {
  if (types.size === 0) return null;
  for (let i = events.length - 1; i >= 0; i--) {
    const type = events[i]?.eventType;
    if (type !== undefined && types.has(type)) return type;
  }
  return null;
}
