import type { Event, EventStore } from '../../../src/index.js';

export interface IntegrityReport {
  /** Everything wrong found; empty when the store is sound. */
  problems: string[];
  /** The whole log in log order. */
  log: Event[];
  aggregates: number;
}

/**
 * Walks the whole log with readAll (every row must decode) and checks the storage invariants:
 * event ids and positions unique, positions strictly increasing in log order where the adapter
 * promises it (single writer), every aggregate's versions 1…n without gaps under one aggregate
 * type, and loadEvents agreeing with the log. Call it with no writer running, and on PostgreSQL
 * once every transaction open while they ran has ended: the log readers see stops before the
 * oldest transaction in flight (a projection's batch, say), by design, so it would lack the
 * events committed after it (wait, say, until a subscription delivered every acknowledged event).
 */
export async function checkIntegrity(store: EventStore, options: { increasingPositions: boolean }): Promise<IntegrityReport> {
  const problems: string[] = [];
  const log: Event[] = [];
  let from = 0n;
  for (;;) {
    let page: Event[];
    try {
      page = await store.readAll({ fromPosition: from, limit: 500 });
    } catch (error) {
      problems.push(`readAll after ${from} failed: ${describe(error)}`);
      break;
    }
    log.push(...page);
    const last = page.at(-1);
    if (!last || page.length < 500) break;
    from = last.globalPosition;
  }
  const ids = new Set<string>();
  const positions = new Set<bigint>();
  let previous = 0n;
  const streams = new Map<string, Event[]>();
  for (const event of log) {
    if (ids.has(event.eventId)) problems.push(`event id ${JSON.stringify(event.eventId)} appears twice`);
    ids.add(event.eventId);
    if (positions.has(event.globalPosition)) problems.push(`position ${event.globalPosition} appears twice`);
    positions.add(event.globalPosition);
    if (options.increasingPositions && event.globalPosition <= previous) {
      problems.push(`position ${event.globalPosition} follows ${previous} in log order`);
    }
    previous = event.globalPosition;
    const stream = streams.get(event.aggregateId);
    if (stream) stream.push(event);
    else streams.set(event.aggregateId, [event]);
  }
  const head = await store.getGlobalPosition().catch((error: unknown) => describe(error));
  if (head !== (log.at(-1)?.globalPosition ?? 0n)) problems.push(`getGlobalPosition() is ${String(head)}, the log ends at ${log.at(-1)?.globalPosition ?? 0n}`);
  for (const [aggregateId, events] of streams) {
    const versions = events.map((e) => e.aggregateVersion).sort((a, b) => a - b);
    if (versions.some((v, i) => v !== i + 1)) problems.push(`${JSON.stringify(aggregateId)} has versions ${summarize(versions)}`);
    if (new Set(events.map((e) => e.aggregateType)).size !== 1) problems.push(`${JSON.stringify(aggregateId)} has several aggregate types`);
    try {
      const loaded = await store.loadEvents(aggregateId);
      const byVersion = [...events].sort((a, b) => a.aggregateVersion - b.aggregateVersion).map((e) => e.eventId);
      if (loaded.map((e) => e.eventId).join('\n') !== byVersion.join('\n')) {
        problems.push(`loadEvents(${JSON.stringify(aggregateId)}) disagrees with the log (${loaded.length} events, ${events.length} in the log)`);
      }
    } catch (error) {
      problems.push(`loadEvents(${JSON.stringify(aggregateId)}) failed: ${describe(error)}`);
    }
  }
  return { problems, log, aggregates: streams.size };
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}${'code' in error ? ` [${String(error.code)}]` : ''}: ${error.message}`;
  return String(error);
}

function summarize(versions: readonly number[]): string {
  return versions.length > 12 ? `${versions.slice(0, 12).join(',')},… (${versions.length})` : versions.join(',');
}
