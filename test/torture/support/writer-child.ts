// Appends batches from several concurrent writers, reporting each acknowledged batch over IPC
// (waiting until the report is written), until the parent kills it with SIGKILL.
import { EventStore, isEventualiError } from '../../../src/index.js';
import { exitWithParent, report } from './child.js';
import { batchSize, eventIdOf, versionBefore, WRITER_AGGREGATE_TYPE, writerAggregate } from './crash-plan.js';
import { Written } from './events.js';

exitWithParent();
const [url, run, writers, options] = process.argv.slice(2) as [string, string, string, string | undefined];
// Optional store options as JSON (e.g. `{"groupCommit":{"maxBatch":8}}`).
const extra = options ? (JSON.parse(options) as Record<string, unknown>) : {};
const store = (await EventStore.create(url, { ...extra, onWarning: () => undefined })).register(Written);
await report({ kind: 'ready' });

async function write(writer: number): Promise<void> {
  for (let batch = 0; ; batch++) {
    const events = Array.from({ length: batchSize(batch) }, (_, index) =>
      Written.create({ writer: `${writer}`, batch, index }, { eventId: eventIdOf(run, writer, batch, index) }),
    );
    await store.append(WRITER_AGGREGATE_TYPE, writerAggregate(run, writer), versionBefore(batch), events);
    await report({ kind: 'ack', writer, batch });
  }
}

try {
  await Promise.all(Array.from({ length: Number(writers) }, (_, w) => write(w)));
} catch (error) {
  await report({ kind: 'error', error: `${isEventualiError(error) ? error.code : 'UNTYPED'}: ${String(error)}` });
  process.exit(1);
}
