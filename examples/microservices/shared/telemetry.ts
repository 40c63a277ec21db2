// #region setup
import { metrics } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { RecentSpans } from './recent-spans.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A metric reader read only when asked: `GET /metrics` collects, nothing is pushed anywhere. */
class ScrapeReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** This process's OpenTelemetry SDK, as `startTelemetry()` set it up. */
export interface Telemetry {
  readonly serviceName: string;
  /** The last finished spans of this process, when `RECENT_SPANS` asked for them (the demo does). */
  readonly recentSpans: RecentSpans | undefined;
  /** The OpenTelemetry metrics (eventuali's among them) in Prometheus text format, for `/metrics`. */
  prometheusText(): Promise<string>;
  /** Exports the spans still buffered, then stops the providers. */
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/** The process's telemetry, once `startTelemetry()` ran (never in tests that build services in-process). */
export function telemetry(): Telemetry | undefined {
  return current;
}

/**
 * Sets up the OpenTelemetry SDK for this process from the standard environment variables, before
 * the service opens its event store: `OTEL_SERVICE_NAME` (default `serviceName`),
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) to export spans over
 * OTLP/HTTP; when neither is set nothing is exported, but spans still exist, so trace ids reach
 * the logs and the next service. `OTEL_SDK_DISABLED=true` registers nothing at all. Metrics are
 * read at scrape time by `/metrics`. `RECENT_SPANS=<n>` keeps the last n finished spans in memory
 * for `GET /internal/traces/:traceId`.
 */
export function startTelemetry(serviceName: string, env: Env = process.env): Telemetry | undefined {
  if (current) return current;
  if (env['OTEL_SDK_DISABLED'] === 'true') return undefined;
  const name = env['OTEL_SERVICE_NAME'] || serviceName;
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: name });

  const spanProcessors: SpanProcessor[] = [];
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    // The exporter reads the endpoint, headers and timeout from the same variables.
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  const keep = Number(env['RECENT_SPANS'] ?? 0);
  const recentSpans = Number.isInteger(keep) && keep > 0 ? new RecentSpans(keep) : undefined;
  if (recentSpans) spanProcessors.push(new SimpleSpanProcessor(recentSpans));
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
  // Registers the provider, AsyncLocalStorage context and the W3C trace context propagator globally.
  tracerProvider.register();

  const scrape = new ScrapeReader();
  const meterProvider = new MeterProvider({ resource, readers: [scrape] });
  metrics.setGlobalMeterProvider(meterProvider);
  // Prometheus text of what the reader collected: no timestamps, no target_info or scope labels.
  const serializer = new PrometheusSerializer('', false, undefined, true, true);

  current = {
    serviceName: name,
    recentSpans,
    async prometheusText() {
      const { resourceMetrics } = await scrape.collect();
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
  return current;
}
// #endregion
