import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { describeProgress } from '../../src/cli/progress.js';
import { createTestDatabase, uniqueSchemaName, type TestDatabase } from '../helpers/postgres.js';
import { Deposited, everything, Opened, seed } from '../transfer/transfer-suite.js';

// The built command (npm test builds dist/ first): what a user runs.
const CLI = resolve('dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'eventuali-cli-transfer-'));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('cli_transfer');
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `eventuali <args>` with `input` on stdin (a file's text), no store URL in the environment. */
function eventuali(args: readonly string[], input = ''): Promise<Outcome> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env.EVENTUALI_URL;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function withStore<T>(url: string, fn: (store: EventStore) => Promise<T>, schema?: string): Promise<T> {
  const store = (await EventStore.create(url, schema === undefined ? {} : { schema })).register(Opened, Deposited);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

describe('eventuali export and import (subprocess)', () => {
  it('moves a SQLite store to PostgreSQL: an identical readAll, a second import adds nothing', async () => {
    const sqlite = `sqlite://${join(dir, 'source.db')}`;
    await withStore(sqlite, (store) => seed(store, 4, 5));
    const exported = await eventuali(['export', '--url', sqlite]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, exported.stdout);
    expect(exported.stdout.trimEnd().split('\n')).toHaveLength(21);

    // The guide's steps: migrate, import, then status on both stores.
    const schema = uniqueSchemaName('cli_import');
    const migrated = await eventuali(['migrate', '--url', db.url, '--schema', schema]);
    expect(migrated.code).toBe(0);
    const first = await eventuali(['import', '--url', db.url, '--schema', schema, '--json'], exported.stdout);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ events: 20, imported: 20, skipped: 0, lastPosition: '20' });

    const source = await withStore(sqlite, everything);
    const target = await withStore(db.url, everything, schema);
    expect(target).toEqual(source);

    const status = async (...args: string[]) => JSON.parse((await eventuali(['status', '--json', ...args])).stdout) as { head: string; events: number };
    const [before, after] = [await status('--url', sqlite), await status('--url', db.url, '--schema', schema)];
    expect(after).toMatchObject({ head: before.head, events: before.events });
    expect(after.events).toBe(20);

    const again = await eventuali(['import', '--url', db.url, '--schema', schema, '--file', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('imported 0 events (20 already there) up to position 20 in ' + again.stdout.split(' in ')[1]);
    expect(await withStore(db.url, everything, schema)).toEqual(source);

    // And back: the PostgreSQL store exports the same events.
    const back = await eventuali(['export', '--url', db.url, '--schema', schema]);
    expect(back.code).toBe(0);
    const lines = (text: string) => text.trimEnd().split('\n').slice(1).map((l) => JSON.parse(l) as unknown);
    expect(lines(back.stdout)).toEqual(lines(exported.stdout));

    for (const outcome of [migrated, first, again, back]) {
      expect(outcome.stdout + outcome.stderr).not.toContain(passwordOf(db.url));
    }
  });

  it('exports from a position', async () => {
    const sqlite = `sqlite://${join(dir, 'from.db')}`;
    await withStore(sqlite, (store) => seed(store, 2, 3));
    const out = await eventuali(['export', '--url', sqlite, '--from', '4']);
    expect(out.code).toBe(0);
    const positions = out.stdout.trimEnd().split('\n').slice(1).map((l) => (JSON.parse(l) as { globalPosition: string }).globalPosition);
    expect(positions).toEqual(['5', '6']);
    expect((await eventuali(['export', '--url', sqlite, '--from', 'x'])).code).toBe(2);
  });

  it('refuses a malformed line with exit code 1, naming the line, and never prints the password', async () => {
    const sqlite = `sqlite://${join(dir, 'bad-source.db')}`;
    await withStore(sqlite, (store) => seed(store, 1, 3));
    const lines = (await eventuali(['export', '--url', sqlite])).stdout.trimEnd().split('\n');
    lines[2] = lines[2]!.replace('"globalPosition":"2"', '"globalPosition":2');
    const schema = uniqueSchemaName('cli_bad');
    const out = await eventuali(['import', '--url', db.url, '--schema', schema], `${lines.join('\n')}\n`);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^eventuali: Line 3 of the import is not an exported event: globalPosition must be/);
    expect(out.stderr).not.toContain(passwordOf(db.url));
    expect(await withStore(db.url, (store) => store.getGlobalPosition(), schema)).toBe(0n);

    const wrong = new URL(db.url);
    wrong.password = 'not-the-password-42';
    const refused = await eventuali(['import', '--url', wrong.toString(), '--schema', schema], readFileSync(join(dir, 'events.ndjson'), 'utf8'));
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(refused.stderr).not.toContain('not-the-password-42');
  });

  it('refuses a store that holds other events (exit 1), and a missing --file', async () => {
    const sqlite = `sqlite://${join(dir, 'busy.db')}`;
    await withStore(sqlite, (store) => seed(store, 1, 1));
    const out = await eventuali(['import', '--url', sqlite], readFileSync(join(dir, 'events.ndjson'), 'utf8'));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('import into an empty store');
    const missing = await eventuali(['import', '--url', sqlite, '--file', join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
  });
});

describe('the progress line', () => {
  it('shows events, events per second, and a bar with the time left when the share done is known', () => {
    expect(describeProgress('importing', 12000, 2, 0.25)).toBe('importing  [#####---------------] 25%  12,000 events  6,000/s  ETA 0:06');
    expect(describeProgress('exporting', 500, 1)).toBe('exporting  500 events  500/s');
  });
});
