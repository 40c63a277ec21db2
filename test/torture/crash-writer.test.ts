import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, type Event } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { killAll, spawnChild } from './support/child.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { batchSize, eventIdOf, parseEventId, versionBefore, WRITER_AGGREGATE_TYPE, writerAggregate, type WriterMessage } from './support/crash-plan.js';
import { TORTURE_EVENTS, Written } from './support/events.js';
import { checkIntegrity } from './support/integrity.js';
import { recordFigures } from './support/results.js';
import { tempDir } from './support/targets.js';
import { randomInt, sleep } from './support/wait.js';

// A writer child appends batches of several events from concurrent writers and reports each
// acknowledged batch; it is killed with SIGKILL at a random moment (sometimes while it opens and
// migrates the store). After each kill: every acknowledged batch is there, every batch is all or
// nothing, at most the batch in flight is there unacknowledged, and retrying the unacknowledged
// batch with the same event ids (and the last acknowledged one) stores nothing twice.
const ROUNDS = scale(5, 20);
const WRITERS = 3;
/** Writers of the group-commit rounds: enough that most commits carry several batches. */
const GROUP_WRITERS = 16;

let db: TestDatabase | undefined;
const temp = tempDir('crash-writer');
beforeAll(async () => {
  db = await createTestDatabase('torture_crash_writer');
});
afterAll(async () => {
  await killAll();
  await db?.drop();
  temp.remove();
});

function batchEvents(run: string, writer: number, batch: number) {
  return Array.from({ length: batchSize(batch) }, (_, index) =>
    Written.create({ writer: `${writer}`, batch, index }, { eventId: eventIdOf(run, writer, batch, index) }),
  );
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function crashRounds(
  name: string,
  url: string,
  increasingPositions: boolean,
  writers = WRITERS,
  childOptions: Record<string, unknown> = {},
): Promise<void> {
  const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
  const figures = { rounds: 0, kills: 0, killedWhileStarting: 0, ackedEvents: 0, unacknowledgedFound: 0, retriedBatches: 0, lost: 0, duplicated: 0, partialBatches: 0 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const run = `${name}-r${round}-${Math.random().toString(36).slice(2, 8)}`;
      const child = spawnChild<WriterMessage>('writer-child.ts', [url, run, String(writers), JSON.stringify(childOptions)]);
      if (round % 4 === 1) {
        figures.killedWhileStarting += 1;
        await sleep(randomInt(0, 700));
      } else {
        await child.waitFor((m) => m.kind === 'ready', 'ready');
        await sleep(randomInt(0, 250));
      }
      await child.kill();
      figures.kills += 1;
      figures.rounds += 1;
      expect(child.messages.filter((m) => m.kind === 'error')).toEqual([]);
      for (let writer = 0; writer < writers; writer++) {
        const acked = Math.max(-1, ...child.messages.flatMap((m) => (m.kind === 'ack' && m.writer === writer ? [m.batch] : [])));
        const aggregateId = writerAggregate(run, writer);
        const counts = countByBatch(await store.loadEvents(aggregateId));
        const present = [...counts.keys()].sort((a, b) => a - b);
        for (const [batch, count] of counts) if (count !== batchSize(batch)) figures.partialBatches += 1;
        for (let batch = 0; batch <= acked; batch++) if (!counts.has(batch)) figures.lost += batchSize(batch);
        figures.ackedEvents += versionBefore(acked + 1);
        // Batches commit in order per writer: the acknowledged ones, then at most the one in flight.
        expect(present, `${aggregateId} after acknowledging ${acked}`).toEqual(range(0, present.length));
        expect(present.length - (acked + 1), `${aggregateId}: unacknowledged batches found`).toBeOneOf([0, 1]);
        if (present.length > acked + 1) figures.unacknowledgedFound += 1;
        // The retry of the batch in flight either writes it or finds it stored: never twice.
        const next = acked + 1;
        const retried = await store.append(WRITER_AGGREGATE_TYPE, aggregateId, versionBefore(next), batchEvents(run, writer, next));
        expect(retried.map((e) => e.aggregateVersion)).toEqual(range(versionBefore(next) + 1, batchSize(next)));
        if (acked >= 0) {
          const again = await store.append(WRITER_AGGREGATE_TYPE, aggregateId, versionBefore(acked), batchEvents(run, writer, acked));
          expect(again.map((e) => e.aggregateVersion)).toEqual(range(versionBefore(acked) + 1, batchSize(acked)));
        }
        figures.retriedBatches += 1;
        const after = await store.loadEvents(aggregateId);
        figures.duplicated += after.length - new Set(after.map((e) => e.eventId)).size;
        expect(after.map((e) => e.eventId)).toEqual(range(0, next + 1).flatMap((b) => range(0, batchSize(b)).map((i) => eventIdOf(run, writer, b, i))));
      }
    }
    const report = await checkIntegrity(store, { increasingPositions });
    expect(report.problems).toEqual([]);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, partialBatches: 0 });
    recordFigures(`crash-writer-${name}`, { ...figures, eventsInStore: report.log.length });
  } finally {
    await store.close();
  }
}

function countByBatch(events: readonly Event[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const event of events) {
    const { batch } = parseEventId(event.eventId);
    counts.set(batch, (counts.get(batch) ?? 0) + 1);
  }
  return counts;
}

describe('crash: a writer killed with SIGKILL', () => {
  it(`loses no acknowledged event and leaves no partial batch: SQLite file, ${ROUNDS} rounds`, async () => {
    await crashRounds('sqlite', `sqlite://${join(temp.dir, 'events.db')}`, true);
  }, TIMEOUT_MS);

  it(`loses no acknowledged event and leaves no partial batch: PostgreSQL, ${ROUNDS} rounds`, async () => {
    await crashRounds('postgres', db!.url, false);
  }, TIMEOUT_MS);

  // Group commit: the batches of many writers share commits; a kill between a group's commit and
  // its acknowledgements leaves at most each writer's batch in flight unacknowledged.
  const grouped = { groupCommit: { maxBatch: 8 } };
  it(`with group commit, ${GROUP_WRITERS} writers: loses no acknowledged event, no partial batch: SQLite file, ${ROUNDS} rounds`, async () => {
    await crashRounds('sqlite-group', `sqlite://${join(temp.dir, 'grouped.db')}`, true, GROUP_WRITERS, grouped);
  }, TIMEOUT_MS);

  it(`with group commit, ${GROUP_WRITERS} writers: loses no acknowledged event, no partial batch: PostgreSQL, ${ROUNDS} rounds`, async () => {
    await crashRounds('postgres-group', db!.url, false, GROUP_WRITERS, grouped);
  }, TIMEOUT_MS);
});
