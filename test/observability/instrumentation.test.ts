import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { Instrumentation } from '../../src/observability/instrumentation.js';
import type { Logger } from '../../src/observability/logger.js';
import { installOtelSdk, points, type OtelSdk } from './otel-sdk.js';

let sdk: OtelSdk | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

function recordingLogger(): Logger & { lines: { level: string; fields: object; message: string | undefined }[] } {
  const lines: { level: string; fields: object; message: string | undefined }[] = [];
  const at = (level: string) => (fields: object, message?: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('Instrumentation without a provider', () => {
  it('runs the function without a span, and injects and records nothing', async () => {
    const inst = new Instrumentation();
    expect(inst.tracing).toBe(false);
    expect(inst.metrics).toBe(false);
    let seen: unknown = 'not called';
    await expect(inst.span('x', { kind: 'client' }, async (span) => ((seen = span), 7))).resolves.toBe(7);
    expect(seen).toBeUndefined();
    expect(inst.traceContext()).toBeUndefined();
    inst.counter('c').record(1);
  });

  it('picks up a provider registered after it was made', async () => {
    const inst = new Instrumentation();
    await inst.span('before', undefined, async () => undefined);
    sdk = installOtelSdk();
    await inst.span('after', undefined, async () => undefined);
    expect(sdk.spans().map((s) => s.name)).toEqual(['after']);
    inst.counter('late.counter').record(2);
    expect(points(await sdk.collect(), 'late.counter')).toEqual([{ attributes: {}, value: 2 }]);
  });
});

describe('Instrumentation with the SDK', () => {
  it('makes nested spans with kind and attributes, and records errors with status ERROR', async () => {
    sdk = installOtelSdk();
    const inst = new Instrumentation();
    await inst.span('outer', { kind: 'client', attributes: { 'db.system.name': 'sqlite' } }, async () => {
      await inst.span('inner', undefined, async (span) => {
        span?.setAttribute('eventuali.event.count', 3);
      });
    });
    const failure = new TypeError('boom');
    await expect(inst.span('failing', undefined, async () => Promise.reject(failure))).rejects.toBe(failure);
    const [outer] = sdk.named('outer');
    const [inner] = sdk.named('inner');
    const [failing] = sdk.named('failing');
    expect(outer?.kind).toBe(SpanKind.CLIENT);
    expect(outer?.attributes['db.system.name']).toBe('sqlite');
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.attributes['eventuali.event.count']).toBe(3);
    expect(inner?.kind).toBe(SpanKind.INTERNAL);
    expect(failing?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(failing?.attributes['error.type']).toBe('TypeError');
    expect(failing?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('gives the active W3C trace context, none outside a span', async () => {
    sdk = installOtelSdk();
    const inst = new Instrumentation();
    expect(inst.traceContext()).toBeUndefined();
    const tracer = trace.getTracer('test');
    const carried = await tracer.startActiveSpan('request', async (span) => {
      const value = inst.traceContext();
      span.end();
      return { value, ids: span.spanContext() };
    });
    expect(carried.value).toEqual({ traceparent: `00-${carried.ids.traceId}-${carried.ids.spanId}-01` });
  });

  it('continues the trace carried in metadata: a child for one context, links for several', async () => {
    sdk = installOtelSdk();
    const inst = new Instrumentation();
    const tracer = trace.getTracer('test');
    const produce = (name: string) =>
      tracer.startActiveSpan(name, (span) => {
        const carried = inst.traceContext();
        span.end();
        return { carried: carried ?? {}, ids: span.spanContext() };
      });
    const a = produce('a');
    const b = produce('b');
    await inst.span('one', { kind: 'consumer', from: [a.carried, a.carried, { correlationId: 'x' }] }, async () => undefined);
    await inst.span('several', { from: [a.carried, b.carried, {}] }, async () => undefined);
    await inst.span('none', { from: [{ traceparent: 'garbage' }] }, async () => undefined);
    const [one] = sdk.named('one');
    expect(one?.spanContext().traceId).toBe(a.ids.traceId);
    expect(one?.parentSpanContext?.spanId).toBe(a.ids.spanId);
    expect(one?.links).toEqual([]);
    const [several] = sdk.named('several');
    expect(several?.parentSpanContext).toBeUndefined();
    expect(several?.links.map((l) => l.context.spanId)).toEqual([a.ids.spanId, b.ids.spanId]);
    const [none] = sdk.named('none');
    expect(none?.parentSpanContext).toBeUndefined();
    expect(none?.links).toEqual([]);
  });

  it('makes nothing with tracing: false or metrics: false', async () => {
    sdk = installOtelSdk();
    const inst = new Instrumentation({ tracing: false, metrics: false });
    await trace.getTracer('test').startActiveSpan('request', async (span) => {
      await inst.span('x', undefined, async (inner) => expect(inner).toBeUndefined());
      expect(inst.traceContext()).toBeUndefined();
      span.end();
    });
    inst.counter('off.counter').record(1);
    expect(sdk.named('x')).toEqual([]);
    expect(points(await sdk.collect(), 'off.counter')).toEqual([]);
  });

  it('records counters, histograms and observable gauges', async () => {
    sdk = installOtelSdk();
    const inst = new Instrumentation();
    const counter = inst.counter('t.count', { unit: '{event}' });
    const histogram = inst.histogram('t.duration', { unit: 's', boundaries: [0.1, 1] });
    let lag = 5;
    let observed = 0;
    const gauge = inst.observableGauge('t.lag', { unit: '{event}' }, (observe) => {
      observed++;
      observe(lag, { subscription: 's' });
    });
    counter.record(2, { kind: 'a' });
    counter.record(3, { kind: 'a' });
    counter.record(1, { kind: 'b' });
    histogram.record(0.5);
    histogram.record(2);
    let all = await sdk.collect();
    expect(points(all, 't.count')).toEqual([
      { attributes: { kind: 'a' }, value: 5 },
      { attributes: { kind: 'b' }, value: 1 },
    ]);
    const [h] = points(all, 't.duration');
    expect(h?.value).toMatchObject({ count: 2, sum: 2.5, buckets: { boundaries: [0.1, 1], counts: [0, 1, 1] } });
    expect(points(all, 't.lag')).toEqual([{ attributes: { subscription: 's' }, value: 5 }]);
    lag = 0;
    all = await sdk.collect();
    expect(points(all, 't.lag')).toEqual([{ attributes: { subscription: 's' }, value: 0 }]);
    gauge.remove();
    await sdk.collect();
    expect(observed).toBe(2);
  });
});

describe('Instrumentation logging', () => {
  it('logs warnings with structured fields and passes them to onWarning', () => {
    const logger = recordingLogger();
    const warnings: string[] = [];
    const inst = new Instrumentation({ logger, onWarning: (message) => warnings.push(message) });
    const error = new Error('disk full');
    inst.warn('snapshot not written', error, { aggregateId: 'a-1' });
    inst.log('info', { subscription: 'emails' }, 'lease acquired');
    expect(logger.lines).toEqual([
      { level: 'warn', fields: { aggregateId: 'a-1', err: error }, message: 'snapshot not written' },
      { level: 'info', fields: { subscription: 'emails' }, message: 'lease acquired' },
    ]);
    expect(warnings).toEqual(['snapshot not written']);
  });

  it('is never silent without a logger or onWarning, and survives a throwing logger', async () => {
    const seen: string[] = [];
    const listener = (warning: Error) => seen.push(warning.message);
    process.on('warning', listener);
    try {
      new Instrumentation().warn('lost', new Error('x'));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(seen).toEqual(['eventuali: lost: Error: x']);
    const throwing: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: () => { throw new Error('logger down'); } };
    expect(() => new Instrumentation({ logger: throwing }).warn('w', null)).not.toThrow();
  });
});
