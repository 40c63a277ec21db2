// Runs a counting projection slowly and reports progress, until the parent kills it with SIGKILL.
import { EventStore, type Projection, type ProjectionHandler } from '../../../src/index.js';
import { Pinged, Ponged } from './fixtures.js';
import { pingCounter } from './projection-suite.js';

const [url, table] = process.argv.slice(2) as [string, string];
const store = (await EventStore.create(url)).register(Pinged, Ponged);
const dialect = url.startsWith('sqlite') ? (t: string) => t : (t: string) => { let n = 0; return t.replace(/\?/g, () => `$${++n}`); };
const projection = pingCounter({ sql: dialect } as never, table);
let handled = 0;
const slow: Projection = {
  ...projection,
  handlerFor: (type: string): ProjectionHandler | undefined => {
    const handler = projection.handlerFor(type);
    return handler && (async (event, ctx) => {
      await handler(event, ctx);
      handled += 1;
      process.send?.(handled);
      await new Promise((r) => setTimeout(r, 2));
    });
  },
};
const runner = store.projection(slow, { batchSize: 25, leaseTtlMs: 500 });
await runner.start();
