import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '../../examples/microservices/shared/config.js';

const dir = fileURLToPath(new URL('../../examples/microservices/', import.meta.url));
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const collector = parse(read('otel-collector.yml')) as {
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
  exporters: Record<string, { endpoint: string }>;
  service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
};

/**
 * No Docker here: the deployment files are checked by reading them, against the images'
 * documented configuration (collector: OTLP receivers; Jaeger 2: OTLP in on 4317/4318, UI on 16686).
 */
describe('the example’s docker-compose tracing setup', () => {
  it('sends every service’s spans to the collector over OTLP/HTTP, named as the service names itself', () => {
    for (const name of ['user', 'order', 'inventory', 'notification'] as const) {
      const service = compose.services[SERVICE_NAMES[name]];
      expect(service?.environment?.['OTEL_EXPORTER_OTLP_ENDPOINT'], name).toBe('http://otel-collector:4318');
      expect(service?.environment?.['OTEL_SERVICE_NAME'], name).toBe(SERVICE_NAMES[name]);
      expect(service?.environment?.['DATABASE_URL'], 'the shared environment is merged in').toMatch(/^postgresql:/);
    }
  });

  it('runs a collector that receives OTLP on 4317 and 4318 and exports traces to Jaeger', () => {
    const service = compose.services['otel-collector'];
    const mount = service?.volumes?.find((v) => v.startsWith('./otel-collector.yml:'));
    expect(mount).toBeDefined();
    expect(existsSync(`${dir}otel-collector.yml`)).toBe(true);
    expect(collector.receivers.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const { traces } = collector.service.pipelines;
    expect(traces.receivers).toEqual(['otlp']);
    for (const exporter of traces.exporters) expect(collector.exporters[exporter]?.endpoint).toBe('jaeger:4317');
    expect(compose.services['jaeger']?.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(compose.services['jaeger']?.ports).toContain('16686:16686');
  });

  it('traces the nginx gateway with ngx_otel_module, exporting to the collector', () => {
    const nginx = read('nginx.conf');
    expect(compose.services['api-gateway']?.image).toMatch(/-otel$/);
    expect(nginx).toMatch(/^load_module modules\/ngx_otel_module\.so;$/m);
    expect(nginx).toMatch(/otel_exporter \{\s*endpoint otel-collector:4317;\s*\}/);
    expect(nginx).toMatch(/otel_trace_context propagate;/);
  });
});
