/**
 * The writer child's plan, known to the parent too: writer `w` of run `run` appends batch `b`
 * (of `batchSize(b)` events with fixed ids) to its own aggregate, expecting the version the
 * earlier batches left. So the parent can tell which events every batch must hold.
 */
export const WRITER_AGGREGATE_TYPE = 'CrashWriter';

export function writerAggregate(run: string, writer: number): string {
  return `${run}:writer-${writer}`;
}

export function batchSize(batch: number): number {
  return 2 + (batch % 4);
}

export function eventIdOf(run: string, writer: number, batch: number, index: number): string {
  return `${run}:w${writer}:b${batch}:e${index}`;
}

/** The stream's version before batch `batch`. */
export function versionBefore(batch: number): number {
  let version = 0;
  for (let b = 0; b < batch; b++) version += batchSize(b);
  return version;
}

/** Which batch an event id belongs to, and its index in it. */
export function parseEventId(eventId: string): { batch: number; index: number } {
  const match = /:b(\d+):e(\d+)$/.exec(eventId);
  if (!match) throw new Error(`not a writer event id: ${eventId}`);
  return { batch: Number(match[1]), index: Number(match[2]) };
}

export type WriterMessage = { kind: 'ready' } | { kind: 'ack'; writer: number; batch: number } | { kind: 'error'; error: string };
