import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, isEventualiError, type Event } from '../../src/index.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { Noted, TORTURE_EVENTS } from './support/events.js';
import { afterFaults, drainStaleConnections, faultedReactions, untypedAsConnection } from './support/faults.js';
import { checkIntegrity, describe as describeError } from './support/integrity.js';
import { startRestartablePostgres, type RestartablePostgres } from './support/restartable-postgres.js';
import { recordFigures } from './support/results.js';
import { adminPool } from './support/targets.js';
import { sleep, until } from './support/wait.js';

// The whole PostgreSQL server stopped (fast shutdown) and started again, several times, while
// one open store runs appenders, readers, a durable subscription and a projection: every call
// made while the server is down fails with CONNECTION (never a raw driver error, never a hang),
// the same store works again once the server is back, retried appends store each batch once,
// the subscription and projection resume from their checkpoints, and the read model equals the
// log exactly.
const ROUNDS = scale(2, 8);
const UP_MS = scale(1_500, 4_000);
const DOWN_MS = scale(1_500, 2_000);
/** A call still pending after this long counts as hung (a bound, not a timing assertion). */
const CALL_BOUND_MS = 30_000;
const POOL_SIZE = 6;
const WRITERS = 4;
const READERS = 2;
const APP = `torture_restart_${process.pid}`;

type ServerState = 'up' | 'stopping' | 'down' | 'starting';

let server: RestartablePostgres | undefined;
let admin: pg.Pool;
beforeAll(async () => {
  server = await startRestartablePostgres();
  admin = adminPool(server.url);
}, 120_000);
afterAll(async () => {
  await admin?.end().catch(() => undefined);
  await server?.destroy();
});

/** What every call of the run saw, by the server's state when it started. */
class CallLog {
  state: ServerState = 'up';
  readonly unexpected: string[] = [];
  succeeded = 0;
  readonly connectionErrors: Record<ServerState, number> = { up: 0, stopping: 0, down: 0, starting: 0 };
  /** Calls that started and ended while the server was down (each must fail with CONNECTION). */
  madeWhileDown = 0;

  /** True, or throws with what went wrong so far (a loop that met it has stopped). */
  check(): true {
    if (this.unexpected.length > 0) throw new Error(`unexpected outcomes:\n${this.unexpected.join('\n')}`);
    return true;
  }

  /** Runs one call: true when it succeeded; a CONNECTION error is counted, anything else recorded. */
  async run(what: string, fn: () => Promise<unknown>): Promise<{ ok: boolean; connection: boolean }> {
    const startedIn = this.state;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), CALL_BOUND_MS)));
    try {
      const outcome = await Promise.race([fn().then(() => 'done' as const), hung]);
      if (outcome === 'hung') {
        this.unexpected.push(`${what} still pending after ${CALL_BOUND_MS} ms (started while the server was ${startedIn})`);
        return { ok: false, connection: false };
      }
      if (startedIn === 'down' && this.state === 'down') this.unexpected.push(`${what} succeeded while the server was down`);
      this.succeeded += 1;
      return { ok: true, connection: false };
    } catch (error) {
      if (startedIn === 'down' && this.state === 'down') this.madeWhileDown += 1;
      if (!isEventualiError(error, 'CONNECTION')) {
        this.unexpected.push(`${what} (server ${startedIn}): ${describeError(error)}`);
        return { ok: false, connection: false };
      }
      this.connectionErrors[startedIn] += 1;
      return { ok: false, connection: true };
    } finally {
      clearTimeout(timer);
    }
  }
}


describe('faults: the PostgreSQL server stopped and started again mid-run', () => {
  it('fails calls with CONNECTION while down, works again after restart, loses and doubles nothing', async () => {
    const warnings: unknown[] = [];
    const store = (
      await EventStore.create(`${server!.url}?application_name=${APP}`, { poolSize: POOL_SIZE, onWarning: (_m, e) => warnings.push(e) })
    ).register(...TORTURE_EVENTS);
    const calls = new CallLog();
    const table = `restart_${Math.random().toString(36).slice(2, 8)}`;
    try {
      // Read before any fault: what every later read of these streams must return.
      for (let i = 0; i < 20; i++) {
        await store.append('RestartReader', `reader-${i % 5}`, 'any', Array.from({ length: 10 }, (_, n) => Noted.create({ n, text: `${i}` })));
      }
      const truth = (await checkIntegrity(store, { increasingPositions: false })).log;

      // A subscription or projection that ends with a reason gave up: a restart must never do that.
      const { sub, runner, deliveries, errors, gaveUp } = faultedReactions(store, 'restart-sub', table, 50);
      await sub.start();
      await runner.start();

      // Appenders: a batch failing with CONNECTION (outcome unknown) is retried with the same
      // event ids and expected version until it is acknowledged.
      let stopped = false;
      const streams = new Map<string, string[]>();
      const acks = Array.from({ length: WRITERS }, () => 0);
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        const aggregateId = `writer-${w}`;
        const ids: string[] = [];
        streams.set(aggregateId, ids);
        for (let b = 0; !stopped; b++) {
          const events = Array.from({ length: 1 + (b % 3) }, (_, i) => Noted.create({ n: b, text: `${w}` }, { eventId: `${aggregateId}:b${b}:e${i}` }));
          for (;;) {
            const { ok, connection } = await calls.run(`append ${aggregateId} batch ${b}`, () => store.append('RestartWriter', aggregateId, ids.length, events));
            if (ok) break;
            if (!connection) return;
            await sleep(25);
          }
          ids.push(...events.map((e) => e.eventId));
          acks[w]! += 1;
          await sleep(2);
        }
      });
      let readsChecked = 0;
      const readers = Array.from({ length: READERS }, async (_, r) => {
        for (let i = r; !stopped; i += READERS) {
          const { ok, connection } = await calls.run(`read ${i}`, async () => {
            const problem = await readAndCheck(store, truth, i);
            if (problem) calls.unexpected.push(problem);
          });
          if (ok) readsChecked += 1;
          else if (!connection) return;
          await sleep(ok ? 2 : 25);
        }
      });

      for (let round = 1; round <= ROUNDS; round++) {
        await sleep(UP_MS);
        calls.state = 'stopping';
        await server!.stop();
        calls.state = 'down';
        // Every kind of call made now fails with CONNECTION, and writes nothing.
        const probeEvent = Noted.create({ n: round, text: 'probe' }, { eventId: `probe-${round}` });
        const probes = restartProbes(store, round, probeEvent);
        const probeFailures: string[] = [];
        for (const [what, probe] of probes) {
          const { ok, connection } = await calls.run(`probe ${what} while down`, probe);
          if (ok || !connection) probeFailures.push(what);
        }
        expect(probeFailures, 'probes that did not fail with CONNECTION while the server was down').toEqual([]);
        await sleep(DOWN_MS);
        calls.state = 'starting';
        await server!.start();
        calls.state = 'up';
        const acksAtRestart = [...acks];
        // The same store works again, without reopening: each probe answers (a pooled
        // connection the server ended may fail once more with CONNECTION first).
        for (const [what, probe] of probes) {
          const { ok } = await calls.run(`probe ${what} after restart`, () => afterFaults(probe));
          if (!ok) probeFailures.push(`${what} after restart`);
        }
        expect(probeFailures, 'probes that failed after the restart').toEqual([]);
        expect((await store.loadEvents(`probe-${round}`)).map((e) => e.eventId)).toEqual([probeEvent.eventId]);
        // Every appender goes on, and the LISTEN connection is back.
        await until(() => calls.check() && acks.every((n, w) => n > acksAtRestart[w]!), 'every appender acknowledged a batch after the restart', 60_000);
        await until(() => listening(admin), 'the store LISTENs again after the restart', 60_000, 50);
      }
      await sleep(UP_MS);
      stopped = true;
      await Promise.all([...writers, ...readers]);

      expect(calls.unexpected).toEqual([]);
      expect(gaveUp).toEqual([]);
      await drainStaleConnections(store, POOL_SIZE);
      // Every acknowledged batch is stored once, in order.
      let written = 0;
      for (const [aggregateId, ids] of streams) {
        const stored = await store.loadEvents(aggregateId);
        expect(stored.map((e) => e.eventId), aggregateId).toEqual(ids);
        written += ids.length;
      }
      // The log readers see stops before the oldest transaction still open (DESIGN §3), and the
      // projection keeps opening batch transactions: one that took its transaction id before the
      // writers' last appends hides them until it commits. The subscription delivering every
      // acknowledged event shows the log has passed them; only then is it read whole.
      const acknowledged = [...streams.values()].flat();
      await until(() => acknowledged.every((id) => deliveries.has(id)), 'the subscription delivered every acknowledged event', 60_000);
      const integrity = await checkIntegrity(store, { increasingPositions: false });
      expect(integrity.problems).toEqual([]);
      // The subscription and the projection caught up: every Noted event once in the read model.
      const noted = integrity.log.filter((e) => e.eventType === 'Noted').map((e) => e.eventId);
      await until(() => noted.every((id) => deliveries.has(id)), 'the subscription delivered every event', 60_000);
      await runner.waitUntilCaughtUp({ timeoutMs: 60_000 });
      await until(async () => (await seenRows(store, table)).length >= noted.length, 'the projection caught up', 60_000);
      expect((await seenRows(store, table)).sort()).toEqual([...noted].sort());
      const totals = await store.transaction((tx) => tx.query<{ events: number }>(`SELECT events FROM ${table}_totals`));
      expect(totals.reduce((sum, r) => sum + Number(r.events), 0)).toBe(noted.length);
      expect(await runner.listDeadLetters()).toEqual([]);
      expect(await sub.listDeadLetters()).toEqual([]);
      expect([sub.state, runner.state]).not.toContain('failed');
      expect(untypedAsConnection(errors)).toEqual([]);
      expect(untypedAsConnection(warnings)).toEqual([]);

      const redelivered = [...deliveries.values()].reduce((sum, n) => sum + n - 1, 0);
      recordFigures('pg-restart', {
        rounds: ROUNDS,
        downMsEach: DOWN_MS,
        events: noted.length,
        appendedByWriters: written,
        batchesAcknowledged: acks.reduce((a, b) => a + b, 0),
        readsChecked,
        callsSucceeded: calls.succeeded,
        callsMadeWhileDown: calls.madeWhileDown,
        connectionErrorsWhileUp: calls.connectionErrors.up,
        connectionErrorsWhileStopping: calls.connectionErrors.stopping,
        connectionErrorsWhileDown: calls.connectionErrors.down,
        connectionErrorsWhileStarting: calls.connectionErrors.starting,
        subscriptionErrorsReported: errors.length,
        warnings: warnings.length,
        subscriptionRedeliveries: redelivered,
        readModelLost: 0,
        readModelDuplicated: 0,
        deadLetters: 0,
      });
    } finally {
      await store.close();
    }
  }, TIMEOUT_MS);
});

/** One call of each kind a store makes, for the probes while the server is down and after. */
function restartProbes(store: EventStore, round: number, event: ReturnType<typeof Noted.create>): [string, () => Promise<unknown>][] {
  return [
    ['append', () => store.append('RestartProbe', `probe-${round}`, 'no-stream', [event])],
    ['readAll', () => store.readAll({ limit: 10 })],
    ['loadEvents', () => store.loadEvents('reader-0')],
    ['getGlobalPosition', () => store.getGlobalPosition()],
    ['transaction', () => store.transaction((tx) => tx.query('SELECT 1'))],
  ];
}

/** True once a backend of the store is idle after a LISTEN (the wake-up connection is back). */
async function listening(pool: pg.Pool): Promise<boolean> {
  try {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN %'`,
      [APP],
    );
    return (rows[0]?.n ?? 0) > 0;
  } catch {
    return false; // the admin pool's connection was ended by the restart: ask again
  }
}

async function seenRows(store: EventStore, table: string): Promise<string[]> {
  const result = await store.transaction((tx) => tx.query<{ event_id: string }>(`SELECT event_id FROM ${table}_seen`));
  return result.map((r) => r.event_id);
}

/**
 * One read, of a kind picked by `i`, checked against the seeded log (written before anything
 * else, so it is the head of the log whatever the appenders add). Returns what was wrong.
 */
async function readAndCheck(store: EventStore, truth: readonly Event[], i: number): Promise<string | undefined> {
  const skip = (i * 37) % truth.length;
  const limit = Math.min(1 + (i % 9), truth.length - skip);
  switch (i % 3) {
    case 0: {
      const page = await store.readAll({ fromPosition: skip === 0 ? 0n : truth[skip - 1]!.globalPosition, limit });
      const want = truth.slice(skip, skip + limit).map((e) => e.eventId);
      return sameIds(page, want) ? undefined : `readAll after ${skip} events returned other events`;
    }
    case 1: {
      const aggregateId = `reader-${i % 5}`;
      const from = 1 + (i % 9);
      const stream = await store.loadEvents(aggregateId, { fromVersion: from });
      const want = truth.filter((e) => e.aggregateId === aggregateId).slice(from - 1).map((e) => e.eventId);
      return sameIds(stream, want) ? undefined : `loadEvents(${aggregateId}, from ${from}) returned other events`;
    }
    default: {
      const head = await store.getGlobalPosition();
      return head >= truth.at(-1)!.globalPosition ? undefined : `getGlobalPosition() went back to ${head}`;
    }
  }
}

function sameIds(events: readonly Event[], ids: readonly string[]): boolean {
  return events.length === ids.length && events.every((e, k) => e.eventId === ids[k]);
}
