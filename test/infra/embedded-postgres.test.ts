import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../scripts/embedded-postgres.js';
import { packagedNativeFolder, readableNativeCopy } from '../../scripts/postgres-binaries.js';

const isRoot = process.getuid?.() === 0;
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A folder of mode 700, as `mktemp -d` makes and as /root is: other users cannot enter it. */
function privateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-private-'));
  fs.chmodSync(dir, 0o700);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Hard links a tree (cheap: the same files, reachable only through `to`'s folders). */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target);
    else fs.linkSync(source, target);
  }
}

function uniqueKey(): string {
  const key = `test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  cleanups.push(() => fs.rmSync(path.join(os.tmpdir(), `eventuali-${key}`), { recursive: true, force: true }));
  return key;
}

describe('readableNativeCopy', () => {
  it('copies a private folder to one everybody can read and run, keeping symlinks', () => {
    const source = path.join(privateDir(), 'native');
    fs.mkdirSync(path.join(source, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(source, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o700 });
    fs.writeFileSync(path.join(source, 'bin', 'data.txt'), 'x', { mode: 0o600 });
    fs.symlinkSync('data.txt', path.join(source, 'bin', 'link.txt'));

    const copy = readableNativeCopy({ dir: source, key: uniqueKey() });
    expect(path.dirname(copy)).toBe(os.tmpdir());
    expect(fs.statSync(copy).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(copy, 'bin')).mode & 0o555).toBe(0o555);
    expect(fs.statSync(path.join(copy, 'bin', 'tool')).mode & 0o555).toBe(0o555);
    expect(fs.statSync(path.join(copy, 'bin', 'data.txt')).mode & 0o777).toBe(0o644);
    expect(fs.readlinkSync(path.join(copy, 'bin', 'link.txt'))).toBe('data.txt');
  });

  it('reuses a finished copy and leaves no staging folders', () => {
    const source = path.join(privateDir(), 'native');
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'a'), 'first');
    const key = uniqueKey();
    const first = readableNativeCopy({ dir: source, key });
    fs.writeFileSync(path.join(source, 'a'), 'second');
    expect(readableNativeCopy({ dir: source, key })).toBe(first);
    expect(fs.readFileSync(path.join(first, 'a'), 'utf8')).toBe('first');
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`eventuali-${key}.staging-`))).toEqual([]);
  });

  it('refuses an existing copy that others may write to', () => {
    const key = uniqueKey();
    const planted = path.join(os.tmpdir(), `eventuali-${key}`);
    fs.mkdirSync(planted);
    fs.chmodSync(planted, 0o777);
    expect(() => readableNativeCopy({ dir: privateDir(), key })).toThrow(/writable only by it/);
  });
});

describe('startEmbeddedPostgres', () => {
  it.runIf(isRoot)('runs from a package folder that other users cannot enter (as root)', async () => {
    const native = path.join(privateDir(), 'node_modules', 'native');
    linkTree(packagedNativeFolder().dir, native);
    const server = await startEmbeddedPostgres({ dirPrefix: 'eventuali-pg-private-', native: { dir: native, key: uniqueKey() } });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ one: number }>('select 1 as one');
      await client.end();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await server.destroy();
    }
    expect(fs.existsSync(server.databaseDir)).toBe(false);
  });

  it('turns binaries it cannot run into one error naming DATABASE_URL', async () => {
    const native = privateDir();
    fs.mkdirSync(path.join(native, 'bin'));
    for (const name of ['initdb', 'postgres']) fs.writeFileSync(path.join(native, 'bin', name), 'not a program', { mode: 0o644 });
    const start = startEmbeddedPostgres({ dirPrefix: 'eventuali-pg-broken-', native: { dir: native, key: uniqueKey() } });
    await expect(start).rejects.toThrow(/did not start: cannot run .*initdb: spawn .*EACCES[\s\S]*DATABASE_URL/);
    expect(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('eventuali-pg-broken-'))).toEqual([]);
  });
});
