import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, type Event } from '../../src/index.js';
import { createPostgresAdapter } from '../../src/postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { freePort } from '../postgres/postgres-fixtures.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { Anything, Counter } from './support/events.js';
import { call, hostileEvent, hostileString, junk, stored, type CallOutcome } from './support/hostile.js';
import { checkIntegrity } from './support/integrity.js';
import { recordFigures } from './support/results.js';
import { openTarget, tempDir, type Target, type TargetKind } from './support/targets.js';

// Hostile input through the public API, on every adapter: random and malformed events, ids with
// SQL metacharacters, NUL, lone surrogates, bidi controls and emoji, 10,000-character strings,
// oversized payloads, junk where options go, invalid URLs and a schema name crafted as an
// injection. Every call ends in a typed error (an EventualiError with a code) or a correct
// result (read back as returned); afterwards every store passes the integrity check.
const RUNS = scale(150, 2_000);
const BIG = scale(4, 48) * 1024 * 1024;
const KINDS: TargetKind[] = ['memory', 'sqlite-memory', 'sqlite-file', 'postgres'];
const stats = { calls: 0, results: 0, typedErrors: {} as Record<string, number> };

let db: TestDatabase | undefined;
let targets: Target[] = [];
const temp = tempDir('hostile');
beforeAll(async () => {
  db = await createTestDatabase('torture_hostile');
  targets = await Promise.all(KINDS.map((kind) => openTarget(kind, { postgresUrl: db!.url, file: join(temp.dir, 'events.db') })));
});
afterAll(async () => {
  for (const target of targets) await target.close();
  await db?.drop();
  temp.remove();
});

async function counted<T>(fn: () => Promise<T> | T): Promise<CallOutcome<T>> {
  stats.calls += 1;
  const outcome = await call(fn);
  if (outcome.ok) stats.results += 1;
  else stats.typedErrors[outcome.code] = (stats.typedErrors[outcome.code] ?? 0) + 1;
  return outcome;
}

/** Appends, and when the store accepts, reads the events back: they must be stored as returned. */
async function appendAndCheck(target: Target, type: unknown, id: unknown, expected: unknown, make: readonly (() => unknown)[]): Promise<void> {
  const events = await counted(() => make.map((m) => m()));
  if (!events.ok) return;
  const appended = await counted(() => target.store.append(type as string, id as string, expected as 'any', events.value as Event[]));
  if (!appended.ok) return;
  const read = new Map((await target.store.loadEvents(id as string)).map((e) => [e.eventId, e]));
  for (const event of appended.value) {
    const found = read.get(event.eventId);
    expect(found && stored(found), `${target.kind}: ${JSON.stringify(event.eventId)} read back`).toEqual(stored(event));
    expect(event.aggregateId, target.kind).toBe(id);
  }
}

describe('hostile input through the public API', () => {
  it('appends hostile ids, events and expected versions: a typed error or a correct result', async () => {
    const ids = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('h-1', 'h-2') }, { weight: 2, arbitrary: hostileString }, junk);
    const input = fc.record({
      type: fc.oneof({ weight: 3, arbitrary: fc.constant('Hostile') }, hostileString, junk),
      id: ids,
      expected: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('any', 'no-stream', 0, 1) }, junk),
      events: fc.oneof({ weight: 5, arbitrary: fc.array(hostileEvent, { maxLength: 3 }) }, junk.map((j) => [() => j])),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ type, id, expected, events }) => {
        for (const target of targets) await appendAndCheck(target, type, id, expected, events);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, TIMEOUT_MS);

  it('reads and subscribes with hostile arguments: a typed error or a sound result', async () => {
    const position = fc.oneof(fc.bigInt({ min: -1n, max: 2n ** 70n }), junk);
    const readOptions = fc.record(
      { fromPosition: position, limit: fc.oneof(fc.integer({ min: -1, max: 50 }), junk), eventTypes: fc.oneof(fc.array(hostileString), junk), aggregateTypes: fc.oneof(fc.array(hostileString), junk) },
      { requiredKeys: [] },
    );
    const versions = fc.record({ fromVersion: fc.oneof(fc.integer({ min: -1, max: 5 }), junk), toVersion: fc.oneof(fc.integer(), junk) }, { requiredKeys: [] });
    const subscription = fc.record(
      {
        id: fc.oneof({ weight: 3, arbitrary: fc.uuid() }, hostileString, junk),
        from: fc.oneof(fc.constantFrom('start', 'end'), position),
        eventTypes: fc.oneof(fc.array(fc.oneof(fc.constant('Anything'), hostileString)), junk),
        batchSize: fc.oneof(fc.integer({ min: -1, max: 20 }), junk),
        pollIntervalMs: fc.oneof(fc.integer({ min: -1, max: 50 }), junk),
        retry: fc.oneof(fc.record({ attempts: fc.integer({ min: -1, max: 3 }), backoffMs: fc.integer({ min: -1, max: 5 }) }), junk),
        onError: fc.oneof(fc.constantFrom('dead-letter', 'stop'), junk),
      },
      { requiredKeys: ['id'] },
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant('readAll' as const), options: fc.oneof(readOptions, junk) }),
      fc.record({ kind: fc.constant('loadEvents' as const), id: fc.oneof(hostileString, junk), options: fc.oneof(versions, junk) }),
      fc.record({ kind: fc.constant('other' as const), id: fc.oneof(hostileString, junk), options: fc.oneof(readOptions, junk) }),
      fc.record({ kind: fc.constant('subscribe' as const), options: fc.oneof({ weight: 4, arbitrary: subscription }, junk) }),
    );
    await fc.assert(
      fc.asyncProperty(op, async (o) => {
        for (const { store, kind } of targets) {
          if (o.kind === 'readAll') {
            const page = await counted(() => store.readAll(o.options as never));
            if (page.ok) {
              const positions = page.value.map((e) => e.globalPosition);
              expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!), kind).toBe(true);
            }
          } else if (o.kind === 'loadEvents') {
            const events = await counted(() => store.loadEvents(o.id as string, o.options as never));
            if (events.ok) expect(events.value.every((e, i) => i === 0 || e.aggregateVersion === events.value[i - 1]!.aggregateVersion + 1), kind).toBe(true);
          } else if (o.kind === 'other') {
            await counted(() => store.getAggregateVersion(o.id as string));
            await counted(() => store.load(Counter, o.id as string));
            await counted(() => store.loadEventsByType(o.id as string, o.options as never));
          } else {
            await subscribeOnce(store, kind, o.options);
          }
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, TIMEOUT_MS);

  it('opens stores from hostile URLs and options: a typed error, or a store that works', async () => {
    // Never PostgreSQL's default port (whatever listens there on this machine would decide the
    // outcome): a port nothing listens on, and the test server reached without a password.
    const closed = `127.0.0.1:${await freePort()}`;
    const testServer = new URL(db!.url).host;
    const url = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !/^\s*sqlite/i.test(s)),
      fc.constantFrom(
        '', ' ', 'memory', 'memory:x', 'http://x', 'sqlite://', 'sqlite:', `sqlite://${temp.dir}/a%ZZ.db`, `sqlite://${temp.dir}/nul\u0000.db`,
        `sqlite://${temp.dir}/\u202Eevil😀.db`, `sqlite://${temp.dir}/sub/dir/ok.db`, `sqlite://${temp.dir}`, 'postgresql://', 'postgres://@:0/',
        `postgresql://%zz@${closed}/x`, 'postgresql://u:p@127.0.0.1:1/db', 'postgresql://[::1/x', 'postgresql://127.0.0.1:99999/x',
        `postgresql://${closed}/x`, `postgresql://nobody@${testServer}/x`, `postgresql://postgres:@${testServer}/postgres`,
      ),
      fc.constant(db!.url),
    );
    const options = fc.oneof(
      fc.constant(undefined),
      junk,
      fc.record(
        { schema: fc.oneof(hostileString, fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/)), poolSize: fc.oneof(fc.integer({ min: -1, max: 3 }), junk), busyTimeoutMs: junk, snapshotEvery: junk, synchronous: fc.oneof(fc.constantFrom('full', 'normal', 'off'), junk), unknownEvents: junk, validateOnRead: junk },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(url, options, async (u, o) => {
        const opened = await counted(() => EventStore.create(u, o as never));
        if (!opened.ok) return;
        try {
          const [event] = await opened.value.append('Probe', 'probe-1', 'any', [Anything.create({ ok: true })]);
          expect((await opened.value.loadEvents('probe-1')).map((e) => e.eventId)).toContain(event!.eventId);
        } finally {
          await opened.value.close();
        }
      }),
      { numRuns: scale(40, 400), endOnFailure: true },
    );
  }, TIMEOUT_MS);

  it('refuses a schema name crafted as an injection, creating and dropping nothing', async () => {
    const admin = new pg.Pool({ connectionString: db!.url, max: 1 });
    try {
      const schemas = async () => (await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace ORDER BY 1')).rows.map((r) => r.nspname);
      const before = await schemas();
      for (const schema of ['x"; DROP SCHEMA public CASCADE; --', 'public"."events', "x'; SELECT pg_sleep(10); --", 'A', 'a b', 'a'.repeat(64), '', 'pg_catalog"--']) {
        await expect(EventStore.create(db!.url, { schema })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(createPostgresAdapter(admin, { schema })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
      expect(await schemas()).toEqual(before);
    } finally {
      await admin.end();
    }
  });

  it(`stores oversized payloads and 10,000-character strings intact (${BIG / 1024 / 1024} MB)`, async () => {
    const odd = '😀\u202Eשלום\uFEFFe\u0301'.repeat(1_000).slice(0, 10_000);
    const payloads = [
      { big: 'x'.repeat(BIG) },
      { odd, [odd]: odd, list: Array.from({ length: 50_000 }, (_, i) => i) },
      Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, odd.slice(0, i % 50)])),
    ];
    for (const target of targets) {
      for (const [i, payload] of payloads.entries()) {
        await appendAndCheck(target, 'Oversized', `oversized-${i}`, 'any', [() => Anything.create(payload, { metadata: { note: odd, [odd.slice(0, 100)]: odd } })]);
      }
    }
  }, TIMEOUT_MS);

  it('leaves every store sound afterwards', async () => {
    for (const target of targets) {
      const report = await checkIntegrity(target.store, { increasingPositions: true });
      expect(report.problems, target.kind).toEqual([]);
    }
    recordFigures('hostile-input', { adapters: KINDS.join(', '), ...stats, typedErrors: JSON.stringify(stats.typedErrors), untypedErrors: 0, bigPayloadBytes: BIG });
  }, TIMEOUT_MS);
});

let subscriptions = 0;
/** String(value), or a stand-in for a value that has none (an object whose toString is not callable). */
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unprintable';
  }
}
/** A subscription with hostile options: refused with a typed error, or it runs and stops cleanly, reporting only typed errors. */
async function subscribeOnce(store: EventStore, kind: string, options: unknown): Promise<void> {
  const opts = typeof options === 'object' && options !== null ? { ...options, id: `${printable((options as { id?: unknown }).id)}-${++subscriptions}`, handle: () => undefined } : options;
  const sub = await counted(() => store.subscribe(opts as never));
  if (!sub.ok) return;
  const untyped: string[] = [];
  sub.value.on('error', (error) => {
    if (!('code' in error)) untyped.push(String(error));
  });
  await sub.value.start();
  await counted(() => sub.value.waitUntilCaughtUp({ timeoutMs: 5_000 }));
  await sub.value.stop();
  expect(untyped, kind).toEqual([]);
}
