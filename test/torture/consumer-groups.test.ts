import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { spawnChild, type Child } from './support/child.js';
import { childTargets } from './support/child-targets.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { perAggregate } from './support/group-model.js';
import { recordFigures } from './support/results.js';
import { randomInt, sleep, until } from './support/wait.js';

// Consumer groups across processes: instances of one subscription group and one read-model
// group join, leave cleanly and are killed with SIGKILL while a writer appends. Every event is
// handled at least once, in order per aggregate (no version before the one before it); the read model counts each
// aggregate's events exactly once; and no partition is claimed by two instances at once (each
// instance reports its partitions every 5 ms with a timestamp; the spans in which two instances
// claimed one partition never overlap). Two of the instances run with partitionConcurrency (2 and 1).
const EVENTS = scale(2_000, 30_000);
const AGGREGATES = scale(150, 1_000);
const PARTITIONS = 6;
const LEASE_TTL_MS = 1_000;
/** Bounds on each phase's wait (not timing assertions): a loaded 2-core machine is slow at the full size. */
const PHASE_MS = scale(120_000, 600_000);

type Sample = { kind: 'sample'; owner: string; at: number; subscription: number[]; model: number[] };
type Message = Sample | { kind: 'started'; owner: string };

const targets = childTargets('groups');

/**
 * Each instance's holdings of each partition, from its own samples (a run of samples claiming the
 * partition, ended by one that does not): the holdings of different instances must not overlap.
 */
function overlaps(samples: readonly Sample[], pick: (s: Sample) => number[]): string[] {
  const holdings: { owner: string; k: number; from: number; to: number }[] = [];
  const byOwner = new Map<string, Sample[]>();
  for (const sample of samples) byOwner.set(sample.owner, [...(byOwner.get(sample.owner) ?? []), sample]);
  for (const [owner, own] of byOwner) {
    own.sort((a, b) => a.at - b.at);
    for (let k = 0; k < PARTITIONS; k++) {
      let open: { owner: string; k: number; from: number; to: number } | undefined;
      for (const sample of own) {
        if (!pick(sample).includes(k)) {
          open = undefined;
          continue;
        }
        if (open) open.to = sample.at;
        else holdings.push((open = { owner, k, from: sample.at, to: sample.at }));
      }
    }
  }
  const problems: string[] = [];
  for (const a of holdings) {
    for (const b of holdings) {
      if (a.owner < b.owner && a.k === b.k && a.from <= b.to && b.from <= a.to) problems.push(`partition ${a.k}: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    }
  }
  return problems;
}

describe.each(targets)('consumer groups across processes on $kind', ({ kind, url }) => {
  it(`handles ${EVENTS} events while instances join, stop and are killed`, { timeout: TIMEOUT_MS }, async () => {
    const store = (await EventStore.create(url(), { onWarning: () => undefined })).register(...TORTURE_EVENTS);
    const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
    const table = `groups_${suffix}`;
    const modelName = `group_counts_${suffix}`;
    const groupId = `group-${suffix}`;
    const idColumn = kind === 'postgres' ? 'bigserial PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await store.transaction((tx) =>
      tx.query(`CREATE TABLE ${table} (id ${idColumn}, event_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, version INTEGER NOT NULL, owner TEXT NOT NULL, part TEXT NOT NULL)`),
    );
    const handledCount = async () =>
      Number((await store.transaction((tx) => tx.query<{ n: number | string }>(`SELECT count(DISTINCT event_id) AS n FROM ${table}`)))[0]!.n);
    // Some instances handle only one or two of their partitions at a time (partitionConcurrency),
    // so partitions waiting for their turn are stopped, taken over and killed too.
    const spawn = (bound?: number) =>
      spawnChild<Message>('group-child.ts', [url(), groupId, table, String(LEASE_TTL_MS), String(PARTITIONS), modelName, ...(bound ? [String(bound)] : [])]);

    const versions = new Map<string, number>();
    let written = 0;
    // The writer stops at `allowed` until the next phase opens it, so every phase (an instance
    // added, stopped, killed) happens while events are still being written, however fast the
    // machine handles them.
    let allowed = Math.floor(EVENTS * 0.2);
    const writer = (async () => {
      while (written < EVENTS) {
        if (written >= allowed) {
          await sleep(5);
          continue;
        }
        const aggregateId = `${suffix}-${randomInt(0, AGGREGATES - 1)}`;
        const n = Math.min(randomInt(1, 3), allowed - written);
        await store.append('GroupTorture', aggregateId, 'any', Array.from({ length: n }, (_, i) => Noted.create({ n: written + i, text: 'g' })));
        versions.set(aggregateId, (versions.get(aggregateId) ?? 0) + n);
        written += n;
        if (written % 50 < 3) await sleep(2);
      }
    })();
    const children: Child<Message>[] = [spawn(), spawn(2)];
    try {
      await Promise.all(children.map((c) => c.waitFor((m) => m.kind === 'started', 'started')));
      await until(async () => (await handledCount()) >= EVENTS * 0.15, '15% handled', PHASE_MS);
      const added = spawn(1);
      children.push(added);
      const addedOwner = ((await added.waitFor((m) => m.kind === 'started', 'the added instance started')) as { owner: string }).owner;
      await added.waitFor((m) => m.kind === 'sample' && m.subscription.length > 0, 'the added instance owns partitions');
      allowed = Math.floor(EVENTS * 0.45);
      const handledBy = async (owner: string) =>
        Number((await store.transaction((tx) => tx.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table} WHERE owner = '${owner}'`)))[0]!.n);
      await until(async () => (await handledCount()) >= EVENTS * 0.35 && (await handledBy(addedOwner)) > 0, '35% handled, some by the added instance', PHASE_MS);
      children[0]!.process.send('stop');
      expect(await children[0]!.exited).toBe(0);
      allowed = Math.floor(EVENTS * 0.65);
      await until(async () => (await handledCount()) >= EVENTS * 0.55, '55% handled', PHASE_MS);
      await children[1]!.kill();
      allowed = Math.floor(EVENTS * 0.8);
      await until(async () => (await handledCount()) >= EVENTS * 0.7, '70% handled', PHASE_MS);
      children.push(spawn());
      allowed = EVENTS;
      await writer;
      await until(async () => (await handledCount()) >= EVENTS, 'every event handled at least once', PHASE_MS);
      const docs = store.documents(perAggregate(modelName));
      await until(
        async () => {
          for (const [aggregateId, version] of versions) {
            const doc = await docs.get(aggregateId);
            if (doc?.lastVersion !== version) return false;
          }
          return true;
        },
        'the read model has every event',
        PHASE_MS,
      );
      // Exactly once in effect: each aggregate's document counted each of its events once, in order.
      for (const [aggregateId, version] of versions) {
        expect(await docs.get(aggregateId)).toEqual({ count: version, lastVersion: version, gaps: 0 });
      }
    } finally {
      await Promise.all(children.map((c) => c.kill()));
      await writer.catch(() => undefined);
    }
    const rows = await store.transaction((tx) =>
      tx.query<{ aggregate_id: string; version: number | string; owner: string }>(`SELECT aggregate_id, version, owner FROM ${table} ORDER BY id`),
    );
    // Per-aggregate order, at least once: in commit order of the handled rows, no version of an
    // aggregate is handled before the version before it was (a redelivery after a lost lease
    // goes back to the last stored checkpoint, so going back is allowed; skipping ahead is not).
    const highest = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (const row of rows) {
      const version = Number(row.version);
      const seen = highest.get(row.aggregate_id) ?? 0;
      if (version > seen + 1) outOfOrder.push(`${row.aggregate_id}: ${version} handled (by ${row.owner}) before ${seen + 1}`);
      highest.set(row.aggregate_id, Math.max(seen, version));
    }
    expect(outOfOrder.slice(0, 5)).toEqual([]);
    const samples = children.flatMap((c) => c.messages.filter((m): m is Sample => m.kind === 'sample'));
    expect(overlaps(samples, (s) => s.subscription)).toEqual([]);
    expect(overlaps(samples, (s) => s.model)).toEqual([]);
    expect(new Set(rows.map((r) => r.owner)).size).toBeGreaterThanOrEqual(3);
    recordFigures(`consumer-groups-${kind}`, { events: EVENTS, handledRows: rows.length, redelivered: rows.length - EVENTS, instances: children.length, samples: samples.length });
    await store.close();
  });
});
