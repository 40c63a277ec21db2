/**
 * Child process of the live-latency workload, in one of two roles, both timing with
 * `performance.timeOrigin + performance.now()` (the machine's clock, sub-millisecond):
 *   writer <location JSON> <rate/s> <count>: on `go`, appends `count` one-event batches at a steady
 *     rate and reports the time right before each `append` call and right after it resolved; it
 *     keeps its store open until `close`.
 *   subscriber <location JSON> <pollIntervalMs>: a durable subscription from the end, with a handler
 *     that records the time each probe arrives; on `finish`, reports them.
 * Both answer `ping` with their clock, so the parent can check the two clocks agree.
 */
import { z } from 'zod';
import { defineEvent, EventStore } from '../../../src/index.js';
import { eventualiUrl, storeOptions } from '../../contenders/eventuali.js';
import { fromParent, runChild, toParent, type Message } from '../../lib/child.js';
import type { Location } from '../../lib/targets.js';

export const LatencyProbe = defineEvent('BenchLatencyProbe', z.object({ seq: z.number().int().nonnegative() }));
export const PROBE_TYPE = 'BenchProbe';

export interface Written extends Message {
  type: 'written';
  /** Per sequence number: just before `append` was called, and just after it resolved. */
  before: number[];
  after: number[];
  seconds: number;
}

export interface Received extends Message {
  type: 'received';
  /** [seq, handler time] in arrival order (a redelivered probe appears twice). */
  arrivals: [number, number][];
}

export interface Pong extends Message {
  type: 'pong';
  at: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function open(location: Location): Promise<EventStore> {
  const store = await EventStore.create(eventualiUrl(location), storeOptions(location));
  return store.register(LatencyProbe);
}

/** Answers pings until the process ends. */
async function answerPings(): Promise<void> {
  for (;;) {
    await fromParent('ping');
    await toParent<Pong>({ type: 'pong', at: now() });
  }
}

async function writer(location: Location, rate: number, count: number): Promise<void> {
  const store = await open(location);
  const stream = `probe-${process.pid}`;
  void answerPings();
  await toParent({ type: 'ready' });
  await fromParent('go');
  const before: number[] = [];
  const after: number[] = [];
  const periodMs = 1000 / rate;
  const begin = now();
  let next = begin;
  for (let seq = 0; seq < count; seq++) {
    await sleep(next - now());
    before.push(now());
    await store.append(PROBE_TYPE, stream, seq === 0 ? 'no-stream' : seq, [LatencyProbe.create({ seq })]);
    after.push(now());
    // A steady rate: the next append is due one period later, or now when this one ran late (no burst).
    next = Math.max(next + periodMs, now());
  }
  const seconds = (now() - begin) / 1000;
  await toParent<Written>({ type: 'written', before, after, seconds });
  // Open until the subscriber has everything: closing at once could drop the last commit's NOTIFY.
  await fromParent('close');
  await store.close();
}

async function subscriber(location: Location, pollIntervalMs: number): Promise<void> {
  const store = await open(location);
  const arrivals: [number, number][] = [];
  const subscription = store.subscribe({
    id: `bench-latency-${process.pid}`,
    from: 'end',
    pollIntervalMs,
    handle: (event) => {
      arrivals.push([(event.data as { seq: number }).seq, now()]);
    },
  });
  await subscription.start();
  await subscription.waitUntilCaughtUp();
  void answerPings();
  await toParent({ type: 'ready' });
  const { count } = await fromParent<Message & { count: number }>('finish');
  const deadline = now() + 10_000;
  while (new Set(arrivals.map(([seq]) => seq)).size < count && now() < deadline) await sleep(10);
  await subscription.stop();
  await store.close();
  await toParent<Received>({ type: 'received', arrivals });
}

runChild(async () => {
  const [role, locationJson, a, b] = process.argv.slice(2);
  if (!locationJson || !a) throw new Error('usage: live-latency-child.ts writer|subscriber <location JSON> …');
  const location = JSON.parse(locationJson) as Location;
  if (role === 'writer') await writer(location, Number(a), Number(b));
  else if (role === 'subscriber') await subscriber(location, Number(a));
  else throw new Error(`unknown role ${String(role)}`);
});
