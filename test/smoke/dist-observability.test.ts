import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built package loads @opentelemetry/api itself (an optional peer): from the ESM build the
// application's copy of the API and the one eventuali loads differ, and must share the providers.
const root = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

const program = `
  const main = async () => {
    const results = [];
    const plain = await eventuali.EventStore.create('memory:');
    const Opened = eventuali.defineEvent('SmokeObsOpened', zod.z.object({}));
    results.push(JSON.stringify((await plain.append('A', 'a-0', 'no-stream', [Opened.create({})]))[0].metadata));
    const exporter = new sdk.InMemorySpanExporter();
    api.context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
    api.trace.setGlobalTracerProvider(new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] }));
    const store = await eventuali.EventStore.create('sqlite::memory:');
    const [event] = await api.trace.getTracer('smoke').startActiveSpan('request', async (span) => {
      try { return await store.append('A', 'a-1', 'no-stream', [Opened.create({})]); } finally { span.end(); }
    });
    const append = exporter.getFinishedSpans().find((s) => s.name === 'eventuali.append');
    results.push(append.attributes['db.system.name'], event.metadata.traceparent === '00-' + append.spanContext().traceId + '-' + append.spanContext().spanId + '-01');
    await store.close();
    await plain.close();
    console.log(JSON.stringify(results));
  };
`;
const expected = JSON.stringify(['{}', 'sqlite', true]);

describe('built package with OpenTelemetry', () => {
  it('makes spans through the ESM entry point', () => {
    const source = `
      import * as eventuali from 'eventuali';
      import * as api from '@opentelemetry/api';
      import * as sdk from '@opentelemetry/sdk-trace-base';
      import * as hooks from '@opentelemetry/context-async-hooks';
      import * as core from '@opentelemetry/core';
      import * as zod from 'zod';
      ${program}
      await main();`;
    expect(run(['--input-type=module', '-e', source])).toBe(expected);
  });

  it('makes spans through the CommonJS entry point', () => {
    const source = `
      const eventuali = require('eventuali');
      const api = require('@opentelemetry/api');
      const sdk = require('@opentelemetry/sdk-trace-base');
      const hooks = require('@opentelemetry/context-async-hooks');
      const core = require('@opentelemetry/core');
      const zod = require('zod');
      ${program}
      main().catch((error) => { console.error(error); process.exit(1); });`;
    expect(run(['-e', source])).toBe(expected);
  });
});
