/**
 * Micro benchmark of `EventStreamer`: events per second from `publishEvent()` (awaited, as the
 * store does) to receivers drained by `for await` loops, default capacity (1000).
 *
 * Run: `npx tsx bench/workloads/streaming/streamer.ts`. Targets: ≥ 1,000,000 events/s to one receiver,
 * ≥ 300,000 events/s fanned out to ten.
 */
import { pathToFileURL } from 'node:url';
import { EventStreamer, type Event } from '../../../src/index.js';

const EVENTS = 1_000_000;

/** A handful of envelopes reused round-robin, so the benchmark measures the streamer, not allocation of test data. */
function makeEvents(count: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventType: i % 2 === 0 ? 'OrderPlaced' : 'OrderShipped',
    aggregateId: `order-${i}`,
    aggregateType: 'Order',
    aggregateVersion: 1,
    globalPosition: 0n,
    timestamp: new Date(0),
    schemaVersion: 1,
    metadata: {},
    data: { amount: i },
  }));
}

/** Publishes `events` events to `receivers` draining receivers; returns events per second. */
export async function measure(receivers: number, events = EVENTS): Promise<number> {
  const streamer = new EventStreamer();
  const envelopes = makeEvents(64);
  const consumers = Array.from({ length: receivers }, async (_, r) => {
    let seen = 0;
    for await (const item of streamer.subscribe({ id: `bench-${r}` })) {
      seen++;
      if (item.streamPosition === events) break;
    }
    return seen;
  });

  const start = process.hrtime.bigint();
  for (let i = 1; i <= events; i++) {
    // `& 63` picks an envelope without a modulo; the array holds exactly 64.
    await streamer.publishEvent(envelopes[i & 63] as Event, i, BigInt(i));
  }
  const seen = await Promise.all(consumers);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  streamer.close();

  if (seen.some((count) => count !== events)) {
    throw new Error(`A receiver missed events: saw ${seen.join(', ')} of ${events}`);
  }
  return Math.round(events / seconds);
}

/**
 * Measures one receiver and ten receivers, 1,000,000 events each, after a short warm-up.
 *
 * @example
 * const { oneReceiver, tenReceivers } = await benchStreamer();
 */
export async function benchStreamer(): Promise<{ oneReceiver: number; tenReceivers: number }> {
  // Warm-up so the JIT has optimised the hot paths before the timed runs.
  await measure(1, 100_000);
  await measure(10, 20_000);
  const oneReceiver = await measure(1);
  const tenReceivers = await measure(10);
  return { oneReceiver, tenReceivers };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { oneReceiver, tenReceivers } = await benchStreamer();
  const format = (n: number): string => n.toLocaleString('en-US');
  console.log(`EventStreamer, ${format(EVENTS)} events each`);
  console.log(`  1 receiver:   ${format(oneReceiver)} events/s`);
  console.log(`  10 receivers: ${format(tenReceivers)} events/s`);
}
