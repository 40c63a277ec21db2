import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { Pinged, postgresTarget, sqliteFileTarget, streamId, type StoreTarget } from '../streaming/durable/fixtures.js';
import { killAll, spawnChild } from '../torture/support/child.js';
import { inRequest } from './handlers-suite.js';
import { installOtelSdk, type OtelSdk } from './otel-sdk.js';
import type { ChildSpan } from './support/handlers-child.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await createTestDatabase('handlers_xproc');
});
afterAll(async () => {
  await killAll();
  await db?.drop();
});

const targets: [string, () => StoreTarget][] = [
  ['SQLite file', sqliteFileTarget],
  ['PostgreSQL', () => postgresTarget(() => db!.url, async () => undefined)],
];

describe.each(targets)('a trace crossing processes: %s', (_name, makeTarget) => {
  let sdk: OtelSdk | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    sdk = undefined;
  });

  it('is continued by a durable subscription in another process: same trace, the append span as parent', async () => {
    const target = makeTarget();
    sdk = installOtelSdk();
    const store = (await EventStore.create(target.url())).register(Pinged);
    try {
      const type = `Pinger-${streamId()}`;
      const stream = streamId();
      const request = await inRequest(() => store.append(type, stream, 'no-stream', [Pinged.create({ n: 1 }), Pinged.create({ n: 2 })]));
      const append = sdk.named('eventuali.append').find((s) => s.spanContext().traceId === request.traceId);
      expect(append?.parentSpanContext?.spanId).toBe(request.spanId);

      const id = `sub-${streamId()}`;
      const child = spawnChild<{ kind: string; spans: ChildSpan[] }>('../../observability/support/handlers-child.ts', [target.url(), id, type, '2']);
      const { spans } = await child.waitFor((m) => m.kind === 'spans', 'its spans', 60_000);
      await child.exited;

      const handles = spans.filter((s) => s.name === 'eventuali.subscription.handle');
      expect(handles).toHaveLength(2);
      for (const handle of handles) {
        expect(handle.traceId).toBe(request.traceId);
        expect(handle.parentSpanId).toBe(append!.spanContext().spanId);
        expect(handle.attributes['messaging.destination.name']).toBe(id);
        expect(handle.attributes['eventuali.aggregate.id']).toBe(stream);
      }
      const batch = spans.find((s) => s.name === 'eventuali.subscription.batch' && s.links.some((l) => l.traceId === request.traceId));
      expect(batch?.links.find((l) => l.traceId === request.traceId)?.spanId).toBe(append!.spanContext().spanId);
    } finally {
      await store.close();
      await target.cleanup();
    }
  });
});
