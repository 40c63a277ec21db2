import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineEvent, EventStore, type Event } from '../../../src/index.js';

export const Pinged = defineEvent('Pinged', z.object({ n: z.number().int() }));
export const Ponged = defineEvent('Ponged', z.object({ n: z.number().int() }));

/** Opens stores on one database: every call is a new connection, as another process would have. */
export interface StoreTarget {
  name: string;
  /** The store URL, for child processes. */
  url(): string;
  /** Rewrites `?` placeholders for the target's SQL dialect. */
  sql(text: string): string;
  open(): Promise<EventStore>;
  cleanup(): Promise<void>;
}

export function sqliteFileTarget(): StoreTarget {
  const dir = mkdtempSync(join(tmpdir(), 'eventuali-sub-'));
  const file = join(dir, 'events.db');
  return {
    name: 'SQLite file',
    url: () => `sqlite://${file}`,
    sql: (text) => text,
    open: async () => (await EventStore.create(`sqlite://${file}`)).register(Pinged, Ponged),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresTarget(url: () => string, cleanup: () => Promise<void>): StoreTarget {
  return {
    name: 'PostgreSQL',
    url,
    sql: (text) => {
      let n = 0;
      return text.replace(/\?/g, () => `$${++n}`);
    },
    open: async () => (await EventStore.create(url())).register(Pinged, Ponged),
    cleanup,
  };
}

export const streamId = (): string => `s-${randomUUID()}`;

export async function ping(
  store: EventStore,
  count: number,
  stream = streamId(),
  type: typeof Pinged | typeof Ponged = Pinged,
): Promise<Event[]> {
  const events = Array.from({ length: count }, (_, n) => type.create({ n }));
  return store.append('Pinger', stream, 'any', events);
}

/** Collects what a handler saw. */
export function recorder(): { seen: Event[]; handle: (event: Event) => void } {
  const seen: Event[] = [];
  return { seen, handle: (event) => void seen.push(event) };
}

/** Resolves when `predicate` holds, polling (for events another instance delivers). */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
