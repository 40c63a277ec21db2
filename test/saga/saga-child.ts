// Starts the crash saga and reports when it is inside step 2, where the parent kills it with SIGKILL.
import { EventStore, SagaCoordinator } from '../../src/index.js';
import { Pinged, Ponged } from '../streaming/durable/fixtures.js';
import { crashSaga } from './saga-child-saga.js';

const [url, sagaId] = process.argv.slice(2) as [string, string];
const store = (await EventStore.create(url)).register(Pinged, Ponged);
const sql = url.startsWith('sqlite') ? (t: string) => t : (t: string) => { let n = 0; return t.replace(/\?/g, () => `$${++n}`); };
const saga = crashSaga(store, sql, async () => {
  process.send?.('in-step-2');
  await new Promise(() => undefined);
});
const coordinator = new SagaCoordinator(store, { sagas: [saga], leaseTtlMs: 300 });
await coordinator.start('crash', null, { sagaId });
