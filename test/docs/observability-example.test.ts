import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startOpenTelemetry } from '../../docs/examples/observability.js';
import { User, userEvents } from '../../docs/examples/user.js';
import { freePort } from '../../examples/microservices/scripts/free-port.js';
import { EventStore, type Logger } from '../../src/index.js';

/** A stand-in OpenTelemetry collector: keeps the bodies of the OTLP/HTTP requests it gets. */
function otlpReceiver(): Promise<{ server: Server; url: string; bodies: Map<string, Buffer[]> }> {
  const bodies = new Map<string, Buffer[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.set(request.url ?? '', [...(bodies.get(request.url ?? '') ?? []), Buffer.concat(chunks)]);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, bodies });
  }));
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('docs/observability.md: the Node SDK setup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventuali-docs-otel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the store’s spans over OTLP and serves its metrics for Prometheus', async () => {
    const collector = await otlpReceiver();
    const metricsPort = await freePort();
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = collector.url;
    const shutdown = startOpenTelemetry('docs-example', metricsPort);
    try {
      const store = await EventStore.create(`sqlite://${join(dir, 'events.db')}`, { logger: silent });
      store.register(...userEvents);
      const user = new User('u-1');
      user.register('ada', 'ada@example.com');
      await store.save(user);
      const saved = await store.loadEvents('u-1');
      expect(saved[0]?.metadata['traceparent'], 'the trace context stored with the event').toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/^eventuali_events_appended_total\{.*\} 1$/m);
      await store.close();
    } finally {
      await shutdown(); // flushes the batched spans to the collector
      delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
      collector.server.close();
    }
    const traces = Buffer.concat(collector.bodies.get('/v1/traces') ?? []);
    expect(traces.includes('eventuali.append'), 'an eventuali.append span reached the collector').toBe(true);
    expect(traces.includes('docs-example'), 'with the service name').toBe(true);
  });
});
