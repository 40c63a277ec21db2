/**
 * Child process of the consumer-group workload: one instance of a group (or a plain subscription
 * when partitions is 0) over a seeded log. Opens the store, reports 'ready', starts on 'go', and
 * reports how many events it handled every 100 ms until told to 'stop'.
 * Usage: consumer-group-child.ts <location JSON> <io|cpu> <partitions> <group id> [partitionConcurrency]
 *   io: the handler awaits a 2 ms timer per event; cpu: it spins 0.2 ms per event.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openEventualiStore } from '../../contenders/eventuali.js';
import { fromParent, runChild, toParent } from '../../lib/child.js';
import type { Location } from '../../lib/targets.js';
import { CPU_MS, IO_MS, type GroupCount } from './consumer-group-handler.js';


runChild(async () => {
  const [locationJson, mode, partitionsText, id, limitText] = process.argv.slice(2);
  if (!locationJson || (mode !== 'io' && mode !== 'cpu') || !partitionsText || !id) {
    throw new Error('usage: consumer-group-child.ts <location JSON> <io|cpu> <partitions> <group id>');
  }
  const store = await openEventualiStore(JSON.parse(locationJson) as Location);
  const partitions = Number(partitionsText);
  let handled = 0;
  const handle = async (): Promise<void> => {
    if (mode === 'io') await sleep(IO_MS);
    else {
      const until = performance.now() + CPU_MS;
      while (performance.now() < until);
    }
    handled++;
  };
  const common = { id, from: 'start' as const, batchSize: 100, leaseTtlMs: 2000, handle };
  const limit = limitText ? { partitionConcurrency: Number(limitText) } : {};
  const subscription = partitions > 0 ? store.subscribe({ ...common, partitions, ...limit }) : store.subscribe(common);
  await toParent({ type: 'ready' });
  await fromParent('go');
  await subscription.start();
  const reporter = setInterval(() => void toParent<GroupCount>({ type: 'count', handled }), 100);
  await fromParent('stop');
  clearInterval(reporter);
  await toParent<GroupCount>({ type: 'count', handled });
  await subscription.stop();
  await store.close();
});
