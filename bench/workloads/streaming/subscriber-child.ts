/**
 * Child process of the append-with-subscriber workload: a durable subscription with a no-op handler
 * (default options, from the end) that the parent switches on and off between rounds.
 * Usage: subscriber-child.ts <location JSON>. Messages `{ type: 'command', action }`: `start` →
 * `started` (once caught up), `stop` → `stopped` with the events handled since `start`, `exit`.
 */
import { openEventualiStore } from '../../contenders/eventuali.js';
import { fromParent, runChild, toParent, type Message } from '../../lib/child.js';
import type { Location } from '../../lib/targets.js';

export interface Command extends Message {
  type: 'command';
  action: 'start' | 'stop' | 'exit';
}

export interface Stopped extends Message {
  type: 'stopped';
  handled: number;
}

runChild(async () => {
  const [locationJson] = process.argv.slice(2);
  if (!locationJson) throw new Error('usage: subscriber-child.ts <location JSON>');
  const location = JSON.parse(locationJson) as Location;
  const store = await openEventualiStore(location);
  let handled = 0;
  const subscription = store.subscribe({ id: `bench-other-process-${process.pid}`, from: 'end', handle: () => void handled++ });
  await toParent({ type: 'ready' });
  for (;;) {
    const command = await fromParent<Command>('command');
    if (command.action === 'exit') break;
    if (command.action !== 'start') throw new Error(`expected start, got ${command.action}`);
    await subscription.start();
    await subscription.waitUntilCaughtUp({ timeoutMs: 120_000 });
    handled = 0;
    await toParent({ type: 'started' });
    const stop = await fromParent<Command>('command');
    if (stop.action !== 'stop') throw new Error(`expected stop, got ${stop.action}`);
    await subscription.stop();
    await toParent<Stopped>({ type: 'stopped', handled });
  }
  await store.close();
});
