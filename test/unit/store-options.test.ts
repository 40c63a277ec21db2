import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteAdapter } from '../../src/sqlite.js';
import { checkIdentifier } from '../../src/core/checks.js';
import { checkStoreOptions } from '../../src/event-store/store-options.js';
import { EventStore, InvalidArgumentError, MemoryAdapter, type CreateStoreOptions } from '../../src/index.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

const BAD_OPTIONS: [string, Record<string, unknown>][] = [
  ['snapshotEvery', { snapshotEvery: 0 }],
  ['snapshotEvery', { snapshotEvery: -1 }],
  ['snapshotEvery', { snapshotEvery: 1.5 }],
  ['snapshotEvery', { snapshotEvery: '3' }],
  ['snapshotEvery', { snapshotEvery: Number.POSITIVE_INFINITY }],
  ['unknownEvents', { unknownEvents: 'x' }],
  ['validateOnRead', { validateOnRead: 'yes' }],
  ['onWarning', { onWarning: 'console.log' }],
  ['synchronous', { synchronous: 'off' }],
  ['busyTimeoutMs', { busyTimeoutMs: -5 }],
  ['busyTimeoutMs', { busyTimeoutMs: 1.5 }],
  ['schema', { schema: 'x; drop table events' }],
  ['schema', { schema: 'Upper' }],
  ['schema', { schema: 'a'.repeat(64) }],
  ['schema', { schema: '' }],
  ['schema', { schema: '1abc' }],
  ['schema', { schema: 'my-schema' }],
  ['schema', { schema: 'my"schema' }],
  ['schema', { schema: 42 }],
  ['poolSize', { poolSize: 0 }],
  ['poolSize', { poolSize: -2 }],
  ['poolSize', { poolSize: '10' }],
  ['groupCommit', { groupCommit: true }],
  ['groupCommit', { groupCommit: 'on' }],
  ['groupCommit', { groupCommit: { maxBatch: 8, delay: 5 } }],
  ['groupCommit.maxBatch', { groupCommit: { maxBatch: 0 } }],
  ['groupCommit.maxBatch', { groupCommit: { maxBatch: 2.5 } }],
  ['groupCommit.maxBatch', { groupCommit: { maxBatch: 10_001 } }],
  ['groupCommit.maxDelayMs', { groupCommit: { maxDelayMs: -1 } }],
  ['groupCommit.maxDelayMs', { groupCommit: { maxDelayMs: '5' } }],
];

describe('checkStoreOptions', () => {
  it.each(BAD_OPTIONS)('rejects a bad %s (%o) with InvalidArgumentError naming it', (argument, options) => {
    const error = thrown(() => checkStoreOptions(options));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    expect((error as Error).message).toContain(argument);
  });

  it.each([null, 'snapshotEvery=3', [1], 5])('rejects options that are not an object (%o)', (options) => {
    expect(thrown(() => checkStoreOptions(options))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options' });
  });

  it('accepts undefined, an empty object and every valid option', () => {
    expect(() => checkStoreOptions(undefined)).not.toThrow();
    expect(() => checkStoreOptions({})).not.toThrow();
    const valid: CreateStoreOptions = {
      snapshotEvery: 50,
      unknownEvents: 'raw',
      validateOnRead: false,
      onWarning: () => undefined,
      synchronous: 'normal',
      busyTimeoutMs: 0,
      schema: 'tenant_1',
      poolSize: 1,
      groupCommit: { maxBatch: 1, maxDelayMs: 0 },
    };
    expect(() => checkStoreOptions(valid)).not.toThrow();
    expect(() => checkStoreOptions({ unknownEvents: 'error', synchronous: 'full', schema: 'a'.repeat(63) })).not.toThrow();
    expect(() => checkStoreOptions({ groupCommit: false })).not.toThrow();
    expect(() => checkStoreOptions({ groupCommit: {} })).not.toThrow();
  });
});

describe('checkIdentifier', () => {
  it.each(['eventuali', '_private', 'a1_b2', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(() => checkIdentifier('schema', name)).not.toThrow();
  });

  it.each(['public; drop schema public cascade', 'UPPER', 'a'.repeat(64), 'a b', 'ä', '', undefined])(
    'rejects %o',
    (name) => {
      expect(thrown(() => checkIdentifier('schema', name))).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'schema' });
    },
  );
});

describe('stores reject bad options before opening anything', () => {
  it.each(BAD_OPTIONS)('EventStore.create rejects a bad %s (%o)', async (argument, options) => {
    await expect(EventStore.create('memory:', options as CreateStoreOptions)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument,
    });
  });

  it('checks options first, so a bad option on a SQLite file creates no folder or file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventuali-options-'));
    try {
      const folder = join(dir, 'nested');
      await expect(EventStore.create(`sqlite://${folder}/events.db`, { snapshotEvery: 0 })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'snapshotEvery',
      });
      expect(existsSync(folder)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad groupCommit on a SQLite file creates no folder or file, and createSqliteAdapter refuses it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventuali-options-'));
    try {
      const folder = join(dir, 'nested');
      await expect(EventStore.create(`sqlite://${folder}/events.db`, { groupCommit: { maxBatch: 0 } })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'groupCommit.maxBatch',
      });
      expect(existsSync(folder)).toBe(false);
      const db = new Database(':memory:');
      expect(thrown(() => createSqliteAdapter(db, { groupCommit: { maxDelayMs: -1 } }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
        argument: 'groupCommit.maxDelayMs',
      });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the constructor rejects bad shared options too', () => {
    const adapter = new MemoryAdapter();
    expect(thrown(() => new EventStore(adapter, { snapshotEvery: 0 }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(thrown(() => new EventStore(adapter, { unknownEvents: 'x' as 'raw' }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      argument: 'unknownEvents',
    });
  });

  it('opens a store with valid options', async () => {
    const store = await EventStore.create('memory:', { snapshotEvery: 10, unknownEvents: 'raw', validateOnRead: false });
    try {
      expect(await store.getGlobalPosition()).toBe(0n);
    } finally {
      await store.close();
    }
  });
});
