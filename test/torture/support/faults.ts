import type pg from 'pg';
import { isEventualiError, type DurableSubscription, type Event, type EventStore, type ProjectionRunner } from '../../../src/index.js';
import { crashProjection } from './crash-reactions.js';
import { Written } from './events.js';
import { describe } from './integrity.js';
import { sqlFor } from './targets.js';
import { randomInt, sleep } from './wait.js';

/**
 * Terminates, every 20–120 ms, every backend of the database opened with `applicationName`
 * (from an admin connection of its own). Returns how many it terminated once stopped.
 */
export function startKiller(admin: pg.Pool, applicationName: string): { stop: () => Promise<number> } {
  let stopped = false;
  let terminated = 0;
  const loop = (async () => {
    while (!stopped) {
      await sleep(randomInt(20, 120));
      if (stopped) break;
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid()) AS killed`,
        [applicationName],
      );
      terminated += rows[0]?.n ?? 0;
    }
  })();
  return { stop: async () => ((stopped = true), await loop, terminated) };
}

export interface WriterLog {
  /** Event ids per aggregate, in the order the writer appended them. */
  streams: Map<string, string[]>;
  connectionErrors: number;
  /** Anything that is not a CONNECTION error. */
  unexpected: string[];
}

/**
 * Appends batches to `writers` aggregates of its own until stopped. An append failing with
 * CONNECTION (the outcome is unknown) is retried with the same event ids and expected version:
 * it must then either write the batch or find it stored.
 */
export function keepAppending(store: EventStore, prefix: string, writers: number): { log: WriterLog; stop: () => Promise<WriterLog> } {
  const log: WriterLog = { streams: new Map(), connectionErrors: 0, unexpected: [] };
  let stopped = false;
  const write = async (w: number) => {
    const aggregateId = `${prefix}-${w}`;
    const ids: string[] = [];
    log.streams.set(aggregateId, ids);
    for (let b = 0; !stopped; b++) {
      const events = Array.from({ length: 1 + (b % 3) }, (_, i) => Written.create({ writer: `${w}`, batch: b, index: i }, { eventId: `${aggregateId}:b${b}:e${i}` }));
      for (let attempt = 1; ; attempt++) {
        try {
          await store.append('FaultWriter', aggregateId, ids.length, events);
          break;
        } catch (error) {
          if (!isEventualiError(error, 'CONNECTION') || attempt >= 200) {
            log.unexpected.push(`${aggregateId} batch ${b}: ${describe(error)}`);
            return;
          }
          log.connectionErrors += 1;
          await sleep(5);
        }
      }
      ids.push(...events.map((e) => e.eventId));
    }
  };
  const loops = Array.from({ length: writers }, (_, w) => write(w));
  return { log, stop: async () => ((stopped = true), await Promise.all(loops), log) };
}

/**
 * Runs `fn` again while it fails with CONNECTION (at most `attempts` times). After the faults stop,
 * the pool may still hand out a connection the server ended before it noticed: that call reports
 * CONNECTION, and the next one gets a fresh connection.
 */
export async function afterFaults<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isEventualiError(error, 'CONNECTION') || attempt >= attempts) throw error;
    }
  }
}

/** Checks out every pooled connection once (more calls than the pool holds), so none the server ended is left idle. */
export async function drainStaleConnections(store: EventStore, poolSize: number): Promise<void> {
  await Promise.all(Array.from({ length: poolSize * 2 }, () => afterFaults(() => store.getGlobalPosition())));
}

/** A plain subscription and a projection run on a store under faults, with what they reported. */
export interface FaultedReactions {
  sub: DurableSubscription;
  runner: ProjectionRunner;
  /** How many times the subscription's handler got each event id. */
  deliveries: Map<string, number>;
  errors: Error[];
  /** Why either of them stopped for good: a fault must never make them give up. */
  gaveUp: string[];
}

/**
 * A subscription counting deliveries of `Noted` events and the crash projection into `table`
 * (PostgreSQL), polling every `pollIntervalMs`, with a short lease and backoff; not started.
 */
export function faultedReactions(store: EventStore, subscriptionId: string, table: string, pollIntervalMs: number): FaultedReactions {
  const options = { batchSize: 20, pollIntervalMs, leaseTtlMs: 2_000, retry: { backoffMs: 10 } };
  const deliveries = new Map<string, number>();
  const errors: Error[] = [];
  const gaveUp: string[] = [];
  const sub = store.subscribe({
    ...options,
    id: subscriptionId,
    eventTypes: ['Noted'],
    handle: (event: Event) => void deliveries.set(event.eventId, (deliveries.get(event.eventId) ?? 0) + 1),
  });
  const runner = store.projection(crashProjection(table, sqlFor('postgres')), options);
  sub.on('error', (e) => errors.push(e));
  runner.on('error', (e) => errors.push(e));
  sub.on('stopped', (reason) => reason && gaveUp.push(`subscription: ${describe(reason)}`));
  runner.on('stopped', (reason) => reason && gaveUp.push(`projection: ${describe(reason)}`));
  return { sub, runner, deliveries, errors, gaveUp };
}

/** The errors that are not typed CONNECTION errors, described: what a fault must never produce. */
export const untypedAsConnection = (errors: unknown[]): string[] => errors.filter((e) => !isEventualiError(e, 'CONNECTION')).map(describe);
