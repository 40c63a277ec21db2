import { afterEach, describe, expect, it } from 'vitest';
import { Pinged } from '../streaming/durable/fixtures.js';
import { EventStore, type Event } from '../../src/index.js';
import { HandlerMetrics } from '../../src/observability/handler-metrics.js';
import { Instrumentation } from '../../src/observability/instrumentation.js';
import { SubscriptionTelemetry } from '../../src/observability/subscription-telemetry.js';
import { installOtelSdk, points, type OtelSdk } from './otel-sdk.js';

let sdk: OtelSdk | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const event = { ...Pinged.create({ n: 1 }), aggregateId: 'a-1', aggregateType: 'Pinger', aggregateVersion: 1, globalPosition: 7n } as unknown as Event;

function telemetry(instrumentation = new Instrumentation()): SubscriptionTelemetry {
  return new SubscriptionTelemetry(instrumentation, new HandlerMetrics(instrumentation), 'mailer', 'subscription', 1000);
}

describe('handler telemetry with no provider', () => {
  it('calls a synchronous handler synchronously: its value, or its throw, with no promise made', () => {
    const invoke = telemetry().wrapInvoke((e, attempt) => (e.globalPosition === 7n ? attempt * 10 : 0));
    expect(invoke(event, 4)).toBe(40);
    const failing = telemetry().wrapInvoke(() => {
      throw new RangeError('sync');
    });
    expect(() => failing(event, 1)).toThrow(RangeError);
  });

  it('runs a batch as it is', async () => {
    let ran = 0;
    await telemetry().batch([], async () => void (ran += 1));
    expect(ran).toBe(1);
  });

  it('uses a provider registered after the subscription was made, from the next event on', async () => {
    const instrumentation = new Instrumentation();
    const invoke = telemetry(instrumentation).wrapInvoke(() => 'done');
    expect(invoke(event, 1)).toBe('done');
    sdk = installOtelSdk({ tracing: false });
    // Metrics only: still synchronous, and timed.
    expect(invoke(event, 1)).toBe('done');
    const [duration] = points(await sdk.collect(), 'eventuali.handler.duration');
    expect(duration?.attributes).toEqual({ 'eventuali.subscription.id': 'mailer', 'eventuali.event.type': 'Pinged' });
    expect((duration?.value as { count: number }).count).toBe(1);
    expect(sdk.spans()).toEqual([]);
  });
});

describe('slowHandlerMs', () => {
  it('refuses a threshold that is not a whole number of milliseconds, registering nothing', async () => {
    const store = await EventStore.create('memory:');
    for (const slowHandlerMs of [-1, 1.5, Number.NaN, '100']) {
      expect(() => store.subscribe({ id: 'slow', handle: () => undefined, slowHandlerMs: slowHandlerMs as number })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', argument: 'slowHandlerMs' }),
      );
    }
    // Nothing was registered under the id: a valid subscribe() takes it.
    expect(store.subscribe({ id: 'slow', handle: () => undefined, slowHandlerMs: 0 }).id).toBe('slow');
    await store.close();
  });
});
