import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, EventStore } from '../../src/index.js';
import { main as aggregates } from '../../docs/examples/aggregates.js';
import { main as aggregateEvents } from '../../docs/examples/aggregate-events.js';
import { main as concurrency } from '../../docs/examples/concurrency.js';
import { main as deciders } from '../../docs/examples/deciders.js';
import { main as errors } from '../../docs/examples/errors.js';
import { main as events } from '../../docs/examples/events.js';
import { main as eventSchemas } from '../../docs/examples/event-schemas.js';
import { main as expectedVersion } from '../../docs/examples/expected-version.js';
import { main as gettingStarted } from '../../docs/examples/getting-started.js';
import { main as http } from '../../docs/examples/http.js';
import { main as httpFastify } from '../../docs/examples/http-fastify.js';
import { main as idempotency } from '../../docs/examples/idempotency.js';
import { main as openingStores } from '../../docs/examples/opening-stores.js';
import { main as observabilityOptions } from '../../docs/examples/observability-options.js';
import { main as observabilityHandlers } from '../../docs/examples/observability-handlers.js';
import { main as quickStart } from '../../docs/examples/quick-start.js';
import { main as readAll } from '../../docs/examples/read-all.js';
import { inlineCarts, main as readModels } from '../../docs/examples/read-models.js';
import { main as sagaOrder } from '../../docs/examples/saga-order.js';
import { main as sagaRecover } from '../../docs/examples/saga-recover.js';
import { main as sagaTyped } from '../../docs/examples/saga-typed.js';
import { main as snapshots } from '../../docs/examples/snapshots.js';
import { main as storeTransfer } from '../../docs/examples/store-transfer.js';
import { main as standardSchema } from '../../docs/examples/standard-schema.js';
import { main as streamingDurable } from '../../docs/examples/streaming-durable.js';
import { main as streamingGroups } from '../../docs/examples/streaming-groups.js';
import { main as streamingInstances } from '../../docs/examples/streaming-instances.js';
import { main as streamingLive } from '../../docs/examples/streaming-live.js';
import { main as streamingProjections } from '../../docs/examples/streaming-projections.js';
import { main as streamingTyped } from '../../docs/examples/streaming-typed.js';
import { main as transactions } from '../../docs/examples/transactions.js';
import { main as upcasting } from '../../docs/examples/upcasting.js';
import {
  REPO_ROOT,
  SnippetError,
  exampleFiles,
  expectedText,
  extractRegion,
  findMarkedBlocks,
  languageOf,
  markdownFiles,
  syncMarkdown,
  toPublicImports,
  unmarkedCodeBlocks,
} from './snippets.js';

const SYNC = 'run `npx tsx scripts/sync-snippets.ts` to rewrite it from the source';

describe('docs: every code block is a region of a tested file', () => {
  const files = markdownFiles();

  it('finds the README and the guides', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/getting-started.md');
  });

  for (const file of files) {
    describe(file, () => {
      const markdown = readFileSync(join(REPO_ROOT, file), 'utf8');

      it('has a snippet marker above each TypeScript block', () => {
        const lines = unmarkedCodeBlocks(markdown);
        expect(lines, `${file}: code blocks at line(s) ${lines.join(', ')} have no <!-- snippet: file#region --> marker`).toEqual([]);
      });

      for (const block of findMarkedBlocks(markdown, file)) {
        it(`line ${block.line}: ${block.source}#${block.region}`, () => {
          const where = `${file}:${block.line} (${block.source}#${block.region})`;
          expect(block.text, `${where}: no code block follows the marker; ${SYNC}`).not.toBeNull();
          expect(block.text, `${where} differs from its source region; ${SYNC}`).toBe(expectedText(block));
        });
      }
    });
  }

  it('names every error code in docs/errors.md', () => {
    const errorsPage = readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
    expect(ERROR_CODES.filter((code) => !errorsPage.includes(`\`${code}\``))).toEqual([]);
  });

  it('keeps the README quick start at 20 lines or fewer', () => {
    const quickStart = expectedText({ file: 'README.md', line: 0, source: 'docs/examples/quick-start.ts', region: 'quick-start' });
    expect(quickStart.split('\n').length).toBeLessThanOrEqual(20);
  });
});

describe('docs: snippet tooling', () => {
  const source = [
    "import { EventStore } from '../../src/index.js';",
    "import { openSqliteAdapter } from '../../src/sqlite.js';",
    'export async function f() {',
    '  // #region inner',
    '  const store = await EventStore.create("memory:");',
    '  // #region nested',
    '  await store.close();',
    '  // #endregion',
    '  // #endregion',
    '}',
  ].join('\n');

  it('dedents a region, drops nested markers and rewrites imports to the entry points', () => {
    expect(extractRegion(source, 'inner', 'x.ts')).toBe('const store = await EventStore.create("memory:");\nawait store.close();');
    expect(toPublicImports(source.split('\n').slice(0, 2).join('\n'), 'x.ts')).toBe(
      "import { EventStore } from 'eventuali';\nimport { openSqliteAdapter } from 'eventuali/sqlite';",
    );
  });

  it('joins several regions in the order named, and shows an elision as its comment', () => {
    const file = [
      '// #region head',
      "import { EventStore } from '../../src/index.js';",
      '// #endregion',
      'export class Box {',
      '  // #region body',
      '  // #elide … the other fields',
      '  a = 1;',
      '  b = 2;',
      '  // #endelide',
      '  c = 3;',
      '  // #endregion',
      '}',
    ].join('\n');
    expect(extractRegion(file, 'head+body', 'docs/examples/box.ts')).toBe(
      "import { EventStore } from 'eventuali';\n\n  // … the other fields\n  c = 3;", // dedented together: indents kept relative
    );
    expect(extractRegion(file, 'body', 'docs/examples/box.ts')).toBe('// … the other fields\nc = 3;');
    expect(() => extractRegion('// #region r\n// #elide … x\ny\n// #endregion', 'r', 'x.ts')).toThrow(/#endelide/);
  });

  it('rejects missing regions and imports of internal modules', () => {
    expect(() => extractRegion(source, 'absent', 'x.ts')).toThrow(SnippetError);
    expect(() => toPublicImports("import { x } from '../../src/core/event.js';", 'x.ts')).toThrow(/imports/);
  });

  it('takes regions of deployment files (# markers) and shows the example system importing eventuali', () => {
    const yaml = ['services:', '  # #region db', '  postgres:', '    image: postgres:17', '  # #endregion', 'volumes: {}'].join('\n');
    expect(extractRegion(yaml, 'db', 'examples/microservices/docker-compose.yml')).toBe('postgres:\n  image: postgres:17');
    const ts = ["// #region kit", "import { EventStore } from '../shared/eventuali.js';", "import { x } from './eventuali.js';", "import { toEtag } from '../shared/eventuali-http.js';", '// #endregion'].join('\n');
    expect(extractRegion(ts, 'kit', 'examples/microservices/orders/service.ts')).toBe(
      "import { EventStore } from 'eventuali';\nimport { x } from 'eventuali';\nimport { toEtag } from 'eventuali/http';",
    );
    expect(extractRegion(ts, 'kit', 'docs/examples/other.ts')).toBe(
      "import { EventStore } from '../shared/eventuali.js';\nimport { x } from './eventuali.js';\nimport { toEtag } from '../shared/eventuali-http.js';",
    );
    expect(['a.ts', 'docker-compose.yml', 'nginx.conf', 'Dockerfile', 'x.json'].map(languageOf)).toEqual(['ts', 'yaml', 'nginx', 'dockerfile', 'text']);
  });

  it('rewrites a stale block and fills an empty marker', () => {
    const marker = '<!-- snippet: docs/examples/quick-start.ts#quick-start -->';
    const expected = expectedText({ file: 't.md', line: 1, source: 'docs/examples/quick-start.ts', region: 'quick-start' });
    const fresh = `${marker}\n\`\`\`ts\n${expected}\n\`\`\``;
    expect(syncMarkdown(`# T\n${marker}\n\`\`\`ts\nold\n\`\`\`\nafter\n`, 't.md')).toBe(`# T\n${fresh}\nafter\n`);
    expect(syncMarkdown(`${marker}\ntext\n`, 't.md')).toBe(`${fresh}\ntext\n`);
  });
});

describe('docs: every example runs', () => {
  let dir: string;
  const sqliteFile = (name: string) => join(dir, name);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventuali-docs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a test for each example file', () => {
    const tested = [
      'aggregates', 'bank-account', 'bank-account.spec', 'cart', 'cart.spec', 'concurrency', 'counting-adapter', 'counting-adapter.spec',
      'deciders', 'errors', 'events', 'expected-version', 'getting-started', 'http', 'http-fastify', 'idempotency', 'if-match', 'inspector', 'observability', 'opening-stores', 'order-events',
      'quick-start', 'read-all', 'read-models', 'read-models.spec', 'saga-order', 'saga-recover', 'saga-services', 'snapshots', 'store-transfer', 'streaming-durable', 'streaming-groups', 'streaming-instances', 'streaming-live',
      'streaming-projections',
      'transactions', 'upcasting', 'user',
      // typed edges
      'aggregate-events', 'event-schemas', 'saga-typed', 'standard-schema', 'streaming-typed',
      'counting-adapter.node-test', 'saga-order.spec',
      'observability-options', 'observability-handlers',
    ].map((name) => `docs/examples/${name}.ts`);
    expect(exampleFiles()).toEqual(tested.sort());
  });

  it('quick start (README)', async () => {
    expect(await quickStart(`sqlite://${sqliteFile('quick-start.db')}`)).toEqual(['Write the docs']);
  });

  it('getting started', async () => {
    expect(await gettingStarted(`sqlite://${sqliteFile('getting-started.db')}`)).toEqual(['1 UserRegistered', '2 UserEmailChanged']);
  });

  it('events', async () => {
    const result = await events('memory:');
    expect(result).toMatchObject({
      descriptions: ['order o-1: 1 item(s)', 'order o-1 cancelled: customer asked'],
      placedAtIsDate: true,
      totalCents: 3050n,
      causationId: true,
    });
    expect(result.invalid.map((issue) => issue.split(':')[0])).toEqual(['customerId', 'totalCents', 'items']);
  });

  it('typed edges: metadata schemas, Standard Schema, listed aggregate events, typed subscriptions and sagas', async () => {
    expect(await eventSchemas(`sqlite://${sqliteFile('event-schemas.db')}`)).toEqual({
      opening: 'c-1 opened by client-7 (web), request request-1',
      refused: 'metadata: clientId',
    });
    expect(await standardSchema(`sqlite://${sqliteFile('standard-schema.db')}`)).toEqual({ carrier: 'dhl', stars: [5] });
    expect(await aggregateEvents(`sqlite://${sqliteFile('aggregate-events.db')}`)).toEqual({ items: { book: 2, pen: 1 }, version: 2 });
    expect(await streamingTyped(`sqlite://${sqliteFile('streaming-typed.db')}`)).toEqual(['+3050 o-1', 'refund o-1: damaged']);
    expect(await sagaTyped('memory:')).toEqual({
      status: 'completed',
      results: { bookCarrier: { trackingId: 'trk-o-1' }, printLabel: { label: 'trk-o-1 / 900 g' } },
    });
  });

  it('upcasting', async () => {
    expect(await upcasting()).toEqual([
      { schemaVersion: 2, data: { firstName: 'Ann', lastName: 'Lee' } },
      { schemaVersion: 2, data: { firstName: 'Ann', lastName: 'Smith' } },
    ]);
  });

  it('aggregates', async () => {
    expect(await aggregates('sqlite::memory:')).toEqual({ balanceCents: 300, version: 3 });
  });

  it('snapshots', async () => {
    expect(await snapshots(sqliteFile('snapshots.db'))).toEqual({
      snapshotAt: 150,
      total: 1500n,
      isPoints: true,
      lastEarnedAt: new Date(Date.UTC(2025, 0, 150)),
      earnedBy: new Map([['2025', 1500n]]),
      version: 150,
    });
  });

  it('observability options: without a provider, no trace context in the metadata', async () => {
    expect(await observabilityOptions()).toEqual(['{}']);
  });

  it('observability of handlers: the subscription logs its lease through the logger', async () => {
    expect(await observabilityHandlers()).toEqual(['info lease acquired', 'info lease released']);
  });

  it('opening stores', async () => {
    const result = await openingStores(dir);
    expect(result.fromUrl).toMatchObject({ persistent: true, concurrentWriters: false });
    expect(result.overDb).toMatchObject({ persistent: true });
    expect(result.journalMode).toBe('wal');
  });

  it('store transfer: export to a file, import it twice, copy a store', async () => {
    const log = console.log;
    console.log = () => undefined;
    try {
      expect(await storeTransfer(dir)).toEqual({ imported: 2, again: 0, same: true });
    } finally {
      console.log = log;
    }
  });

  it('concurrency', async () => {
    expect(await concurrency('sqlite::memory:')).toEqual({
      conflict: { expected: 2, actual: 3 },
      versions: [4, 5],
      balanceCents: 500,
      missing: 'AGGREGATE_NOT_FOUND',
    });
  });

  it('idempotency', async () => {
    expect(await idempotency()).toEqual({
      savedVersions: [1],
      balanceCents: 250,
      storedEvents: ['AccountOpened', 'MoneyDeposited'],
    });
  });

  it('deciders', async () => {
    expect(await deciders('sqlite::memory:')).toEqual({
      shopped: { version: 2, status: 'Confirmed' },
      stale: 412,
      malformed: 400,
      fresh: { status: 200, headers: { etag: 'W/"3"' } },
      refused: 'CartError',
      metadata: { correlationId: 'req-7', userId: 'ann' },
      cart2: { version: 3, state: { status: 'Confirmed', items: { pen: { quantity: 2, priceCents: 200 } } } },
    });
  });

  it('expectedVersion and createIfMissing on classes', async () => {
    expect(await expectedVersion('sqlite::memory:')).toEqual({ stale: 1, version: 3, balanceCents: 300 });
  });

  it('transactions', async () => {
    expect(await transactions('sqlite::memory:')).toEqual({ balances: [300, 200], refused: true });
  });

  it('reading the global log', async () => {
    expect(await readAll('sqlite::memory:')).toEqual({
      count: 4,
      lastIsGlobalPosition: true,
      changes: ['u-2'],
      index: { 'u-1': 'user1@example.com', 'u-2': 'second@example.com', 'u-3': 'user3@example.com' },
    });
  });

  it('live subscriptions', async () => {
    expect(await streamingLive('memory:')).toEqual({
      sent: ['u-1@example.com', 'u-2@example.com'],
      backpressure: { waiting: 1, savedBeforeRead: false, savedAfterRead: true },
      mailed: ['u-5'],
      overflowCode: 'STREAM_OVERFLOW',
      dashboard: { buffered: 2, dropped: 1 },
      notices: ['mailer:error:u-6', 'dashboard:drop-oldest:u-5', 'mailer:error:u-7'],
      totals: { published: 3, dropped: 3, delivered: 1 },
      discarded: 2,
    });
  });

  it('durable subscriptions', async () => {
    const result = await streamingDurable('sqlite::memory:');
    expect(result).toMatchObject({
      state: 'stopped',
      metadata: { correlatedToRegistration: true, causedByRegistration: true },
      againErrors: 0,
      accounts: [1, 1],
      failures: ['u-4 attempt 1: mail server refused, will retry', 'u-4 attempt 2: mail server refused'],
      lettersBefore: ['UserRegistered 2 Error: mail server refused'],
      lettersAfter: 0,
    });
    expect(result.parked).toHaveLength(1);
  });

  it('projections', async () => {
    expect(await streamingProjections(`sqlite://${sqliteFile('projections.db')}`)).toEqual({
      before: ['u-1@example.com', 'two@example.com'],
      after: ['u-1@example.com', 'two@example.com'],
      atEnd: true,
      refused: true,
      u4Stored: false,
    });
  });

  it('read models', async () => {
    for (const url of ['memory:', `sqlite://${sqliteFile('read-models.db')}`]) {
      expect(await readModels(url)).toEqual({
        cart: { clientId: 'c-1', status: 'Open', items: 1, totalCents: 450, openedAt: new Date('2026-01-02T10:00:00Z') },
        confirmed: [1200, 300],
        perClient: 2,
        abandoned: null,
        afterRebuild: 3,
        late: 'timed out',
      });
      expect(await inlineCarts(url)).toBe('Open');
    }
  });

  it('several subscription instances', async () => {
    expect(await streamingInstances(sqliteFile('instances.db'))).toEqual({
      handled: ['a:u-1', 'b:u-2'],
      bActiveWhileAIs: false,
      bState: 'stopped',
    });
  });

  it('consumer groups: two instances share the partitions', async () => {
    expect(await streamingGroups(sqliteFile('groups.db'))).toEqual({ shared: [0, 1, 2, 3], sent: 20, bothSent: true, mostInFlight: 2 });
  });

  it('the order saga', async () => {
    const result = await sagaOrder('sqlite::memory:');
    expect(result).toMatchObject({
      confirmed: {
        status: 'completed',
        stepsCompleted: ['inventory_reserved', 'payment_processed', 'order_confirmed'],
        version: 5,
        results: { payment_processed: { paymentId: 'pay-1' } },
      },
      retriedSameSaga: true,
      declined: {
        status: 'compensated',
        stepsCompleted: ['inventory_reserved'],
        stepsCompensated: ['inventory_reserved'],
        failedStep: 'payment_processed',
        failureReason: 'PaymentDeclined: 50000 cents is over the limit',
      },
      outOfStock: { status: 'compensated', stepsCompleted: [], stepsCompensated: [], failedStep: 'inventory_reserved' },
      stock: 3,
      charges: ['pay-1 3050 refunded=false'],
      orders: {
        'o-1': 'confirmed',
        'o-2': 'cancelled: PaymentDeclined: 50000 cents is over the limit',
        'o-3': 'cancelled: Error: Out of stock: book',
      },
      inputError: 'SAGA_INPUT',
      sagas: ['order-o-1-saga completed', 'order-o-2-saga compensated', 'order-o-3-saga compensated'],
      sagaEvents: [
        'eventuali.SagaStarted',
        'eventuali.SagaStepCompleted',
        'eventuali.SagaStepFailed',
        'eventuali.SagaCompensationStarted',
        'eventuali.SagaStepCompensated',
        'eventuali.SagaCompensated',
      ],
    });
  });

  it('saga recovery after a crash', async () => {
    expect(await sagaRecover(sqliteFile('saga-recover.db'))).toEqual({
      status: 'completed',
      stepsCompleted: ['inventory_reserved', 'payment_processed', 'order_confirmed'],
      charges: 1,
      stock: 4,
      order: 'confirmed',
      events: ['eventuali.SagaStarted', 'eventuali.SagaStepCompleted', 'eventuali.SagaResumed', 'eventuali.SagaStepCompleted', 'eventuali.SagaStepCompleted', 'eventuali.SagaCompleted'],
    });
  });

  it('HTTP: node:http server', async () => {
    expect(await http(`sqlite://${sqliteFile('http.db')}`)).toEqual({
      created: [201, 'W/"1"'],
      renamed: [200, 'W/"2"', 'Ship the docs'],
      stale: [412, 'application/problem+json', 'CONCURRENCY_CONFLICT', 1, 2],
      missing: 428,
      malformed: [400, 'If-Match'],
      invalid: [400, ['title']],
      unknown: [404, 'AGGREGATE_NOT_FOUND'],
      events: ['TaskAdded@string', 'TaskRenamed@string'],
    });
  });

  it('HTTP: Fastify app', async () => {
    const store = await EventStore.create('memory:');
    try {
      expect(await httpFastify(store)).toEqual({
        read: [200, 'W/"1"'],
        renamed: [200, 'W/"2"'],
        stale: [412, 'application/problem+json; charset=utf-8', 'CONCURRENCY_CONFLICT'],
        required: 428,
        invalid: [400, 'EVENT_VALIDATION'],
        missing: 404,
        events: [1, 2],
      });
    } finally {
      await store.close();
    }
  });

  it('errors', async () => {
    expect((await errors()).map((e) => e.status)).toEqual([400, 404, 409, 409, 500]);
  });
});
