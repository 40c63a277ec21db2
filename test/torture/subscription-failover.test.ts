import { describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { killAll, spawnChild, type Child } from './support/child.js';
import { childTargets } from './support/child-targets.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { recordFigures } from './support/results.js';
import { sleep, until } from './support/wait.js';

// Three processes run one subscription id; the active one is killed with SIGKILL again and
// again (and replaced). Always at most one instance handles events (the handled rows of
// different instances never interleave), another takes over within the lease time plus a poll,
// and every event is handled at least once.
const KILLS = scale(3, 10);
const LEASE_TTL_MS = 2_000;
/** A bound, not a timing assertion: the lease time, the standby poll (a quarter of it) and slack for a loaded machine. */
const TAKEOVER_BOUND_MS = LEASE_TTL_MS + LEASE_TTL_MS / 4 + 10_000;

type Message = { kind: 'active' | 'inactive' | 'started'; owner: string };

const targets = childTargets('failover');

/** The instance that reported becoming active last, if it is alive and has not reported losing it. */
function activeChild(children: readonly Child<Message>[]): Child<Message> | undefined {
  return children.find((child) => child.alive && child.messages.filter((m) => m.kind !== 'started').at(-1)?.kind === 'active');
}

describe.each(targets)('failover: three instances of one subscription on $kind', ({ kind, url }) => {
  it(`hands over to one other instance each time the active one is killed (${KILLS} kills)`, async () => {
    const store = (await EventStore.create(url(), { onWarning: () => undefined })).register(...TORTURE_EVENTS);
    const table = `failover_${Math.random().toString(36).slice(2, 10)}`;
    const id = kind === 'postgres' ? 'bigserial PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await store.transaction((tx) => tx.query(`CREATE TABLE ${table} (id ${id}, event_id TEXT NOT NULL, owner TEXT NOT NULL)`));
    const handled = () => store.transaction((tx) => tx.query<{ event_id: string; owner: string }>(`SELECT event_id, owner FROM ${table} ORDER BY id`));
    const spawn = () => spawnChild<Message>('subscriber-child.ts', [url(), `failover-${table}`, String(LEASE_TTL_MS), table]);
    const written: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const stored = await store.append('Failover', `${table}-${i % 3}`, 'any', [Noted.create({ n: i, text: 'f' })]);
        written.push(...stored.map((e) => e.eventId));
        await sleep(5);
      }
    })();
    const children = [spawn(), spawn(), spawn()];
    const takeovers: number[] = [];
    try {
      await until(() => activeChild(children) !== undefined, 'a first active instance', 60_000);
      for (let kill = 0; kill < KILLS; kill++) {
        const victim = activeChild(children)!;
        const owner = victim.messages.filter((m) => m.kind === 'active').at(-1)!.owner;
        // Kill it while it works: once it has handled events of its own.
        await until(async () => (await handled()).some((r) => r.owner === owner), 'the active instance handles events', 30_000);
        await victim.kill();
        const killedAt = Date.now();
        children.push(spawn());
        await until(() => activeChild(children) !== undefined, 'another instance takes over', TAKEOVER_BOUND_MS);
        takeovers.push(Date.now() - killedAt);
      }
    } finally {
      writing = false;
      await writer;
    }
    try {
      await until(async () => {
        const ids = new Set((await handled()).map((r) => r.event_id));
        return written.every((eventId) => ids.has(eventId));
      }, 'every event handled at least once', 60_000);
      const rows = await handled();
      const handledIds = new Set(rows.map((r) => r.event_id));
      // Handled rows in commit order: each instance's rows form one run (never two active at once).
      const runs = rows.map((r) => r.owner).filter((owner, i, all) => i === 0 || owner !== all[i - 1]);
      expect(runs).toEqual([...new Set(runs)]);
      expect(runs.length).toBeGreaterThanOrEqual(KILLS + 1);
      recordFigures(`failover-${kind}`, {
        instances: children.length,
        kills: KILLS,
        leaseTtlMs: LEASE_TTL_MS,
        longestTakeoverMs: Math.max(...takeovers),
        events: written.length,
        handled: rows.length,
        missed: written.filter((e) => !handledIds.has(e)).length,
        redelivered: rows.length - handledIds.size,
      });
    } finally {
      await killAll();
      await store.close();
    }
  }, TIMEOUT_MS);
});
