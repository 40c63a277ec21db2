import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStoreUrl } from '../../src/event-store/store-url.js';
import { Aggregate, EventStore, InvalidArgumentError, defineEvent, type EventOf } from '../../src/index.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('parseStoreUrl', () => {
  it.each(['memory:', 'memory://'])('reads %s as the memory store', (url) => {
    expect(parseStoreUrl(url)).toEqual({ kind: 'memory' });
  });

  it.each(['sqlite::memory:', 'sqlite://:memory:'])('reads %s as an in-memory SQLite database', (url) => {
    expect(parseStoreUrl(url)).toEqual({ kind: 'sqlite', filename: ':memory:' });
  });

  it('resolves a relative sqlite:// path against the working directory', () => {
    expect(parseStoreUrl('sqlite://rel/path.db')).toEqual({ kind: 'sqlite', filename: resolve('rel/path.db') });
    expect(parseStoreUrl('sqlite://./data/events.db')).toEqual({ kind: 'sqlite', filename: resolve('data/events.db') });
  });

  it('keeps an absolute sqlite:/// path', () => {
    expect(parseStoreUrl('sqlite:///abs/path.db')).toEqual({ kind: 'sqlite', filename: '/abs/path.db' });
  });

  it('decodes percent-encoded characters in a sqlite path', () => {
    expect(parseStoreUrl('sqlite:///tmp/my%20events.db')).toEqual({ kind: 'sqlite', filename: '/tmp/my events.db' });
  });

  it.each(['postgresql://user:pw@localhost:5432/db', 'postgres://localhost/db'])('reads %s as PostgreSQL', (url) => {
    expect(parseStoreUrl(url)).toEqual({ kind: 'postgres', connectionString: url });
  });

  it.each([
    ['an unknown scheme', 'mysql://x'],
    ['a bare path', './events.db'],
    ['a sqlite URL without a path', 'sqlite://'],
    ['a sqlite path with a NUL', 'sqlite:///tmp/a\u0000b.db'],
    ['a sqlite path with an encoded NUL', 'sqlite:///tmp/a%00b.db'],
    ['an empty string', ''],
    ['a number', 42],
    ['undefined', undefined],
    ['an object', { url: 'memory:' }],
  ])('rejects %s with INVALID_ARGUMENT', (_label, url) => {
    const error = thrown(() => parseStoreUrl(url));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'store URL' });
  });

  it('rejects malformed percent-encoding in a sqlite path with INVALID_ARGUMENT, not a raw URIError', () => {
    const error = thrown(() => parseStoreUrl('sqlite:///tmp/100%.db'));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'store URL' });
  });

  it('names the unknown scheme in the error', () => {
    expect((thrown(() => parseStoreUrl('mysql://x')) as Error).message).toContain('"mysql:"');
  });

  it.each([
    ['a PostgreSQL URL that does not parse', 'postgresql://ann:hunter2secret@db.example.com:99999/app'],
    ['a PostgreSQL URL with a bad host', 'postgres://ann:hunter2secret@[not-a-host/app'],
    ['a URL of an unknown scheme', 'mysql://ann:hunter2secret@db.example.com/app'],
    ['a typo in the scheme', 'postgresq://ann:hunter2secret@db.example.com/app'],
  ])('never repeats the password of %s in the error', (_label, url) => {
    const error = thrown(() => parseStoreUrl(url));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(inspect(error, { depth: 5 })).not.toContain('hunter2secret');
    expect(JSON.stringify(error)).not.toContain('hunter2secret');
    expect((error as Error).cause).toBeUndefined();
  });
});

const Noted = defineEvent('UrlNoted', z.object({ text: z.string() }));

class Note extends Aggregate {
  static override readonly aggregateType = 'UrlNote';
  text = '';
  write(text: string): void {
    this.apply(Noted.create({ text }));
  }
  applyUrlNoted(event: EventOf<typeof Noted>): void {
    this.text = event.data.text;
  }
}

describe('EventStore.create', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an unknown scheme with INVALID_ARGUMENT', async () => {
    await expect(EventStore.create('mysql://x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(EventStore.create('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it.each(['memory:', 'sqlite::memory:'])('opens a working store for %s', async (url) => {
    const store = await EventStore.create(url);
    try {
      const note = new Note();
      note.write('hello');
      const committed = await store.save(note);
      expect(committed).toHaveLength(1);
      expect(committed[0]?.globalPosition).toBeGreaterThan(0n);
      expect((await store.load(Note, note.id))?.text).toBe('hello');
    } finally {
      await store.close();
    }
  });

  it('creates the missing parent folders of a sqlite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventuali-url-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'deeper', 'events.db');
    const note = new Note();
    const store = await EventStore.create(`sqlite://${file}`);
    try {
      note.write('on disk');
      await store.save(note);
    } finally {
      await store.close();
    }
    expect(existsSync(file)).toBe(true);
    const reopened = (await EventStore.create(`sqlite://${file}`)).register(Noted);
    try {
      expect((await reopened.load(Note, note.id))?.text).toBe('on disk');
    } finally {
      await reopened.close();
    }
  });
});
