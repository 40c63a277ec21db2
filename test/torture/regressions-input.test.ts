import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, isEventualiError, type Event } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { Anything, Noted } from './support/events.js';
import { call } from './support/hostile.js';
import { openTarget, tempDir, type Target, type TargetKind } from './support/targets.js';

// Regression tests for the input (and opening) bugs the torture suite found, one per bug, on every adapter.
// Each asserts the behaviour a caller relies on (a typed error, or a correct result), so any
// correct fix passes. See docs/reliability.md for the findings.
const KINDS: TargetKind[] = ['memory', 'sqlite-memory', 'sqlite-file', 'postgres'];

let db: TestDatabase | undefined;
let targets: Target[] = [];
const temp = tempDir('regressions-input');
beforeAll(async () => {
  db = await createTestDatabase('torture_regressions_input');
  targets = await Promise.all(KINDS.map((kind) => openTarget(kind, { postgresUrl: db!.url, file: join(temp.dir, 'events.db') })));
});
afterAll(async () => {
  for (const target of targets) await target.close();
  await db?.drop();
  temp.remove();
});

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}`;
const handBuilt = (change: Record<string, unknown>) => ({
  eventId: unique('hand-built'),
  eventType: 'Anything',
  timestamp: new Date('2024-01-01T00:00:00Z'),
  schemaVersion: 1,
  metadata: {},
  data: { a: 1 },
  ...change,
});
const ids = (events: readonly Event[]) => events.map((e) => e.eventId);

describe('regressions: input', () => {
  it('keeps ids with lone surrogates apart and intact, or refuses them (SQLite altered them, PostgreSQL merged two streams)', async () => {
    for (const { store, kind } of targets) {
      const streams = [unique('lone-\uD800'), unique('lone-\uDC00')];
      for (const aggregateId of streams) {
        const appended = await call(() => store.append('Lone', aggregateId, 'any', [Anything.create(1, { eventId: unique('event-\uDBFF') })]));
        if (!appended.ok) continue;
        const loaded = await store.loadEvents(aggregateId);
        expect(ids(loaded), `${kind}: ${JSON.stringify(aggregateId)} holds only its own event`).toEqual(ids(appended.value));
        expect(loaded.map((e) => [e.aggregateId, e.eventId]), kind).toEqual(appended.value.map((e) => [aggregateId, e.eventId]));
      }
    }
  });

  it("stores a hand-built event's schemaVersion only when reads can decode it (NaN was a raw driver error, 1.5 or 2 poisoned every read)", async () => {
    for (const { store, kind } of targets) {
      for (const schemaVersion of [Number.NaN, 1.5, 2, 0, -1, '1', null]) {
        const aggregateId = unique('schema-version');
        const appended = await call(() => store.append('Versioned', aggregateId, 'any', [handBuilt({ schemaVersion }) as never]));
        if (!appended.ok) continue;
        const read = await call(() => store.loadEvents(aggregateId));
        expect(read, `${kind}: schemaVersion ${String(schemaVersion)} stored, then`).toMatchObject({ ok: true });
        const all = await call(() => store.readAll({ limit: 100_000 }));
        expect(all, `${kind}: the whole log after schemaVersion ${String(schemaVersion)}`).toMatchObject({ ok: true });
      }
    }
  });

  it('accepts a timestamp on every adapter or refuses it with a typed error (PostgreSQL threw raw 22008/22009 outside years 1–9999)', async () => {
    for (const { store, kind } of targets) {
      for (const timestamp of [new Date('0000-06-01T00:00:00Z'), new Date(-8.64e15), new Date(8.64e15), new Date('+010000-01-01T00:00:00Z'), new Date('0001-01-01T00:00:00Z')]) {
        const aggregateId = unique('timestamp');
        const appended = await call(() => store.append('Dated', aggregateId, 'any', [handBuilt({ timestamp }) as never]));
        if (!appended.ok) continue;
        const [read] = await store.loadEvents(aggregateId);
        expect(read?.timestamp.getTime(), `${kind}: ${timestamp.toISOString()}`).toBe(timestamp.getTime());
      }
    }
  });

  it('answers positions and versions beyond the columns with a typed error or an empty result (raw RangeError and 22003 before)', async () => {
    for (const { store, kind } of targets) {
      const tooFar = [
        () => store.readAll({ fromPosition: 2n ** 63n }),
        () => store.readAll({ fromPosition: 2n ** 70n }),
        () => store.loadEvents('beyond', { fromVersion: 2 ** 31 }),
        () => store.loadEvents('beyond', { toVersion: 2 ** 40 }),
      ];
      for (const read of tooFar) {
        const outcome = await call(read);
        if (outcome.ok) expect(outcome.value, kind).toEqual([]);
      }
      const appended = await call(() => store.append('Beyond', unique('beyond'), 2 ** 31, [Anything.create(1)]));
      expect(appended, kind).toMatchObject({ ok: false });
    }
  });

  it('returns from append the envelope the store holds (stripped keys and non-object metadata came back as passed)', async () => {
    for (const { store, kind } of targets) {
      const cases = [
        handBuilt({ eventType: 'Noted', data: { n: 1, text: 'a', extra: 'stripped by the schema' } }),
        handBuilt({ metadata: 5 }),
        handBuilt({ metadata: 'text' }),
        handBuilt({ metadata: ['a'] }),
      ];
      for (const event of cases) {
        const aggregateId = unique('envelope');
        const appended = await call(() => store.append('Envelope', aggregateId, 'any', [event as never]));
        if (!appended.ok) continue;
        const [read] = await store.loadEvents(aggregateId);
        expect({ data: appended.value[0]!.data, metadata: appended.value[0]!.metadata }, kind).toEqual({ data: read!.data, metadata: read!.metadata });
      }
    }
  });

  it('refuses data nested too deeply to validate with a typed error (a raw RangeError escaped)', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const created = await call(() => Anything.create(deep as never));
    expect(created.ok, 'create() of 20,000 levels').toBe(false);
    for (const { store, kind } of targets) {
      const appended = await call(() => store.append('Deep', unique('deep'), 'any', [handBuilt({ data: deep }) as never]));
      expect(appended.ok, kind).toBe(false);
    }
  });

  it('answers null options of reads with a typed error (a TypeError escaped)', async () => {
    for (const { store } of targets) {
      await call(() => store.readAll(null as never));
      await call(() => store.loadEvents('null-options', null as never));
      await call(() => store.loadEventsByType('NullOptions', null as never));
    }
  });

  it('answers NUL characters in type filters with a typed error or a correct result (PostgreSQL threw raw 22021)', async () => {
    for (const { store, kind } of targets) {
      for (const filter of [{ eventTypes: ['a\u0000b'] }, { aggregateTypes: ['\u0000'] }]) {
        const read = await call(() => store.readAll(filter));
        if (read.ok) expect(read.value, kind).toEqual([]);
      }
      const sub = await call(() => store.subscribe({ id: unique('nul-filter'), aggregateTypes: ['x\u0000'], handle: () => undefined }));
      if (!sub.ok) continue;
      const untyped: unknown[] = [];
      sub.value.on('error', (error) => void (isEventualiError(error) || untyped.push(error)));
      await sub.value.start();
      await call(() => sub.value.waitUntilCaughtUp({ timeoutMs: 5_000 }));
      await sub.value.stop();
      expect(untyped, kind).toEqual([]);
    }
  });

  it('reports a SQLite file locked past the busy timeout while opening as CONNECTION (a raw SQLITE_BUSY escaped)', async () => {
    // Another connection holds the lock of a file not yet in WAL mode: switching it needs that lock.
    const file = join(temp.dir, 'locked.db');
    const holder = new Database(file);
    try {
      holder.exec('CREATE TABLE other (x); BEGIN EXCLUSIVE; INSERT INTO other VALUES (1)');
      const opened = await call(() => EventStore.create(`sqlite://${file}`, { busyTimeoutMs: 0 }));
      expect(opened).toMatchObject({ ok: false, code: 'CONNECTION' });
    } finally {
      holder.close();
    }
  });

  it('refuses an option without toString (a null-prototype object) with a typed error (building the message threw a TypeError)', async () => {
    const bare = Object.create(null) as never;
    await expect(call(() => EventStore.create('memory:', { snapshotEvery: bare }))).resolves.toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    for (const { store, kind } of targets) {
      const calls: (() => unknown)[] = [
        () => store.append('Bare', unique('bare'), bare, [Anything.create(1)]),
        () => store.subscribe({ id: unique('bare'), from: bare, handle: () => undefined }),
        () => store.subscribe({ id: unique('bare'), eventTypes: [bare], handle: () => undefined }),
        () => store.subscribe({ id: unique('bare'), onError: bare, handle: () => undefined }),
      ];
      for (const fn of calls) expect(await call(fn), kind).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    }
  });
});
