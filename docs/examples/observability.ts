// docs/observability.md, "Setting up Node's SDK".
// #region sdk
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Run once, first thing in the process, before opening the store. Spans go over OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318); metrics are served for Prometheus
 * on http://localhost:9464/metrics.
 */
export function startOpenTelemetry(serviceName: string, metricsPort = 9464): () => Promise<void> {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env['OTEL_SERVICE_NAME'] ?? serviceName });
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global tracer provider, AsyncLocalStorage context and the W3C trace context propagator.
  tracerProvider.register();
  const meterProvider = new MeterProvider({ resource, readers: [new PrometheusExporter({ port: metricsPort })] });
  metrics.setGlobalMeterProvider(meterProvider);
  // Call on shutdown: exports the spans still buffered.
  return async () => {
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
}
// #endregion
