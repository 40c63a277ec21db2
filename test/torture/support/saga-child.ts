// Recovers unfinished sagas, starts new ones (and again the ones of the previous round, which
// must run nothing twice), reporting progress, until the parent kills it with SIGKILL.
import { EventStore, SagaCoordinator } from '../../../src/index.js';
import { exitWithParent, report } from './child.js';
import { crashSaga, createSagaTables } from './crash-reactions.js';
import { TORTURE_EVENTS } from './events.js';
import { sqlFor } from './targets.js';

exitWithParent();
const [url, run, previous, count] = process.argv.slice(2) as [string, string, string, string];
const store = (await EventStore.create(url, { onWarning: () => undefined })).register(...TORTURE_EVENTS);
await createSagaTables(store);
const saga = crashSaga(store, sqlFor(url.startsWith('sqlite') ? 'sqlite-file' : 'postgres'), async (sagaId, step) => {
  process.send?.({ kind: 'step', sagaId, step });
});
const coordinator = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 300 });
await coordinator.recover();
for (let i = 0; i < Number(count); i++) {
  if (previous !== '-') await coordinator.start('torture-crash', null, { sagaId: `${previous}-s${i}` });
  const sagaId = await coordinator.start('torture-crash', null, { sagaId: `${run}-s${i}` });
  await report({ kind: 'started', sagaId });
}
