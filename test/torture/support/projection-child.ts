// Runs the crash projection, reporting each handled event, until the parent kills it with SIGKILL.
import { EventStore } from '../../../src/index.js';
import { exitWithParent } from './child.js';
import { crashProjection } from './crash-reactions.js';
import { TORTURE_EVENTS } from './events.js';
import { sqlFor } from './targets.js';
import { sleep } from './wait.js';

exitWithParent();
const [url, table] = process.argv.slice(2) as [string, string];
const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
let handled = 0;
const projection = crashProjection(table, sqlFor(url.startsWith('sqlite') ? 'sqlite-file' : 'postgres'), async () => {
  handled += 1;
  process.send?.({ kind: 'handled', handled });
  if (handled % 3 === 0) await sleep(1);
});
const runner = store.projection(projection, { batchSize: 10, leaseTtlMs: 500, pollIntervalMs: 20 });
runner.on('active', () => process.send?.({ kind: 'active' }));
await runner.start();
