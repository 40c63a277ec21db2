/**
 * A V8 CPU profile (node:inspector, the same sampler as `node --cpu-prof`) of one eventuali hot path
 * on a SQLite file at synchronous=NORMAL, summarized by where the self time goes: zod, JSON,
 * the driver (better-sqlite3's native calls), eventuali's own code, GC, other.
 *
 *   npx tsx bench/profile/cpu-profile.ts read     store.readAll pages of 1,000 over 20,000 events
 *   npx tsx bench/profile/cpu-profile.ts load     store.load(Account) of a 1,000-event stream
 *   npx tsx bench/profile/cpu-profile.ts append   store.append of 1 event to new streams
 *   npx tsx bench/profile/cpu-profile.ts batch    store.append of 100 events to new streams
 *
 * Writes the raw profile to bench/.out/<path>.cpuprofile (open it in Chrome DevTools or speedscope).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { EventStore } from '../../src/index.js';
import { seedLog } from '../lib/seed-log.js';
import { Account, ACCOUNT_TYPE, AccountOpened, MoneyDeposited, newEvents } from '../domain/account.js';

const SECONDS = 4;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket a sampled frame's self time goes to. */
function bucket(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return 'idle / program';
  if (url.includes('/zod/')) return 'zod';
  if (functionName === 'parse' && url === '') return 'JSON.parse';
  if (functionName === 'stringify' && url === '') return 'JSON.stringify';
  if (url.includes('better-sqlite3')) return 'better-sqlite3 (JS + native SQLite)';
  if (url === '' && ['all', 'run', 'get', 'iterate', 'exec'].includes(functionName)) return 'better-sqlite3 (JS + native SQLite)';
  if (url.includes('/src/core/serializer') || url.includes('/src/core/event-registry') || url.includes('json-reviver')) return 'eventuali decode/encode';
  // better-sqlite3's Statement#all steps SQLite and builds one object per row in C++; V8 charges
  // that native time to the JS function that called it: the adapter's thin read/append wrappers in
  // sqlite-adapter.ts (the row mapping is in sql/event-row.ts, counted as the adapter's).
  if (url.includes('/src/store/sqlite/sqlite-adapter')) return 'better-sqlite3 (JS + native SQLite)';
  if (url.includes('/src/store/')) return 'eventuali adapter (row mapping, SQL flow)';
  if (url.includes('/src/')) return 'eventuali core (other)';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:') || url === '') return `node / V8 builtins`;
  return 'other';
}

function summarize(profile: Profile): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = bucket(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const what = process.argv[2] ?? 'read';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventuali-cpu-'));
  const filename = path.join(dir, 'events.db');
  await seedLog({ kind: 'sqlite', filename, synchronous: 'normal' }, 20_000);
  const store = (await EventStore.create(`sqlite://${filename}`, { synchronous: 'normal' })).register(AccountOpened, MoneyDeposited);
  let n = 0;
  let events = 0;
  const ops: Record<string, () => Promise<void>> = {
    read: async () => {
      let after = 0n;
      for (;;) {
        const page = await store.readAll({ fromPosition: after, limit: 1000 });
        events += page.length;
        const last = page[page.length - 1];
        if (!last || page.length < 1000) return;
        after = last.globalPosition;
      }
    },
    load: async () => {
      await store.load(Account, 'account-3');
      events += 1000;
    },
    append: async () => {
      await store.append(ACCOUNT_TYPE, `cpu-${++n}`, 'no-stream', newEvents(1, 1));
      events += 1;
    },
    batch: async () => {
      await store.append(ACCOUNT_TYPE, `cpu-${++n}`, 'no-stream', newEvents(1, 100));
      events += 100;
    },
  };
  const op = ops[what];
  if (!op) throw new Error(`usage: cpu-profile.ts ${Object.keys(ops).join('|')}`);
  for (let i = 0; i < 20; i++) await op(); // warm-up
  events = 0;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const begin = performance.now();
  while (performance.now() - begin < SECONDS * 1000) await op();
  const elapsed = performance.now() - begin;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const out = new URL(`../.out/${what}.cpuprofile`, import.meta.url);
  fs.mkdirSync(new URL('../.out/', import.meta.url), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(profile));
  const total = summarize(profile).reduce((sum, [, us]) => sum + us, 0);
  const perEvent = (elapsed * 1000) / events;
  console.log(`${what}: ${events.toLocaleString('en-US')} events in ${(elapsed / 1000).toFixed(1)} s, ${perEvent.toFixed(2)} µs per event (wall)`);
  console.log('| where | share of samples | µs per event |\n| --- | ---: | ---: |');
  for (const [key, us] of summarize(profile)) {
    console.log(`| ${key} | ${((us / total) * 100).toFixed(1)} % | ${((us / total) * perEvent).toFixed(2)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
