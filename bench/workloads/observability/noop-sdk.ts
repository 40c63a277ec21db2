/**
 * The OpenTelemetry SDK as an application registers it (Node tracer provider: AsyncLocalStorage
 * context, W3C propagator; a meter provider with a periodic reader), but exporting to nothing: a
 * BatchSpanProcessor and a metric reader whose exporters drop what they get. What eventuali costs
 * with tracing and metrics on, without the cost of a network exporter.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const done = (callback: (result: ExportResult) => void): void => callback({ code: ExportResultCode.SUCCESS });

const droppingSpans: SpanExporter = {
  export: (_spans, callback) => done(callback),
  shutdown: () => Promise.resolve(),
};

const droppingMetrics: PushMetricExporter = {
  export: (_metrics, callback) => done(callback),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

/** Registers the SDK globally; the returned function unregisters it (and the API is back to no-ops). */
export function registerNoopSdk(): () => Promise<void> {
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(droppingSpans)] });
  tracerProvider.register();
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: droppingMetrics, exportIntervalMillis: 1000 })],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  return async () => {
    await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  };
}
