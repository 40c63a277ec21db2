/**
 * The layers of src/ (DESIGN.md §2, docs/architecture.md), checked by `npm run check:deps`.
 * Imports flow down only:
 *
 *   core  <-  observability  <-  store  <-  streaming  <-  projections  <-  event-store  <-  saga  <-  http
 *        <-  operations  <-  inspector  <-  cli
 *
 * The entry files (src/index.ts, sqlite.ts, postgres.ts, testing.ts, http.ts) and src/testing/ sit
 * on top and may import any layer; nothing in a layer imports them. Type-only imports count.
 */
const ENTRIES = '^src/(index|sqlite|postgres|testing|http|inspector)[.]ts$';

/** A layer may import itself and what is listed before it, never what comes after it. */
const LAYERS = [
  ['core', '^src/core/'],
  // Tracing, metrics and the logger (OpenTelemetry's API loaded only if installed); every layer above reports through it.
  ['observability', '^src/observability/'],
  ['store', '^src/store/'],
  ['streaming', '^src/streaming/'],
  ['projections', '^src/projections/'],
  ['event-store', '^src/event-store/'],
  ['saga', '^src/saga/'],
  // Helpers for the edges of an application (its own subpath export); the CLI and the inspector go here too.
  ['http', '^src/http/'],
  // What an operator asks of a store that the public API does not answer (status, lag, sagas by status).
  ['operations', '^src/operations/'],
  // The web inspector (eventuali/inspector): reads through operations.
  ['inspector', '^src/inspector/'],
  // The `eventuali` command (its `inspect` serves the inspector).
  ['cli', '^src/cli/'],
];
const ON_TOP = '^src/testing/';

const upward = LAYERS.map(([name, path], i) => ({
  name: `no-upward-import-from-${name}`,
  comment: `${name} is below ${LAYERS.slice(i + 1).map(([n]) => n).join(', ') || 'the entry files'}: it takes what it needs from above as a parameter or a hook.`,
  severity: 'error',
  from: { path },
  to: { path: [...LAYERS.slice(i + 1).map(([, p]) => p), ON_TOP, ENTRIES] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide which module is the lower one: pass a small interface down instead.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'core-imports-nothing-else',
      comment: 'core/ is the kernel: it imports nothing else in src/.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-import-of-entry-files',
      comment: 'The entry files only re-export; code imports the module that holds a thing.',
      severity: 'error',
      from: { path: '^src/', pathNot: ENTRIES },
      to: { path: ENTRIES },
    },
    {
      name: 'store-port-knows-no-adapter',
      comment: 'The storage port (store/*.ts) and the shared SQL flow (store/sql/) know no adapter folder.',
      severity: 'error',
      from: { path: ['^src/store/[^/]+[.]ts$', '^src/store/sql/'] },
      to: { path: '^src/store/(sqlite|postgres|memory)/' },
    },
    {
      name: 'adapters-apart',
      comment: 'An adapter folder never imports another one: what two adapters share lives in store/ or store/sql/.',
      severity: 'error',
      from: { path: '^src/store/(sqlite|postgres|memory)/' },
      to: { path: '^src/store/(sqlite|postgres|memory)/', pathNot: '^src/store/$1/' },
    },
    {
      name: 'live-and-durable-streaming-apart',
      comment: 'streaming/live (in-process) and streaming/durable (stored checkpoints) are two systems.',
      severity: 'error',
      from: { path: '^src/streaming/(live|durable)/' },
      to: { path: '^src/streaming/(live|durable)/', pathNot: '^src/streaming/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
