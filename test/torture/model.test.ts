import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scale, TIMEOUT_MS } from './support/config.js';
import { checkIntegrity } from './support/integrity.js';
import { StoreModel } from './support/model.js';
import { OP_ARBITRARIES } from './support/model-ops.js';
import { MODEL_STORE_OPTIONS, modelStats, OpCommand, type World } from './support/model-run.js';
import { recordFigures } from './support/results.js';
import { openTarget, tempDir, type TargetKind } from './support/targets.js';

// Random sequences of appends (right, stale, ahead, 'any' and 'no-stream' expected versions,
// duplicate event ids, retries of earlier batches), stream and paged log reads, snapshots, and
// durable subscriptions catching up, run on every adapter side by side with a plain model.
const KINDS: TargetKind[] = ['memory', 'sqlite-memory', 'sqlite-file', 'postgres'];
const RUNS = scale(30, 300);
const MAX_COMMANDS = scale(40, 80);

let db: TestDatabase | undefined;
const temp = tempDir('model');
beforeAll(async () => {
  db = await createTestDatabase('torture_model');
});
afterAll(async () => {
  await db?.drop();
  temp.remove();
});

async function openWorld(run: number): Promise<World & { close(): Promise<void> }> {
  const targets = await Promise.all(
    KINDS.map((kind) =>
      openTarget(kind, { ...MODEL_STORE_OPTIONS, postgresUrl: db!.url, file: join(temp.dir, `run-${run}.db`) }),
    ),
  );
  return {
    targets: targets.map((target) => ({ target, positions: new Map(), head: 0n, subs: new Map() })),
    close: async () => {
      for (const target of targets) await target.close();
    },
  };
}

describe('model-based: every adapter behaves like the model', () => {
  it(
    'gives the same versions, log order, errors and contents as the model on random operation sequences',
    async () => {
      let run = 0;
      const commands = fc.commands(
        OP_ARBITRARIES.map((arbitrary) => arbitrary.map((op) => new OpCommand(op))),
        { maxCommands: MAX_COMMANDS, size: 'max' },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const world = await openWorld(++run);
          const model = new StoreModel();
          try {
            await fc.asyncModelRun(() => ({ model, real: world }), cmds);
            // Afterwards every store is sound and holds what the model holds, in its order.
            for (const { target } of world.targets) {
              const report = await checkIntegrity(target.store, { increasingPositions: true });
              expect(report.problems, target.kind).toEqual([]);
              expect(report.log.map((e) => e.eventId), target.kind).toEqual(model.log.map((e) => e.eventId));
            }
          } finally {
            modelStats.runs += 1;
            modelStats.eventsWritten += model.log.length;
            await world.close();
          }
        }),
        { numRuns: RUNS, endOnFailure: false },
      );
      recordFigures('model', { adapters: KINDS.join(', '), ...modelStats, rejected: JSON.stringify(modelStats.rejected) });
    },
    TIMEOUT_MS,
  );
});
