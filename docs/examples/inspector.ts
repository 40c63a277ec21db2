// docs/inspector.md: mounting the inspector. test/docs/inspector-snippets.test.ts runs main().
import type { AddressInfo } from 'node:net';

// #region imports
import type { EventStore } from '../../src/index.js';
import { createInspector } from '../../src/inspector.js';
// #endregion

// #region plain-http
import { createServer } from 'node:http';

export function serveInspector(store: EventStore) {
  const inspector = createInspector(store, { basePath: '/inspector' });
  return createServer((req, res) =>
    inspector(req, res, () => {
      // Not under /inspector: the rest of your server.
      res.statusCode = 404;
      res.end('Not found');
    }),
  );
}
// serveInspector(store).listen(4000, '127.0.0.1');
// #endregion

// #region fastify
import Fastify from 'fastify';

export function fastifyWithInspector(store: EventStore) {
  const app = Fastify();
  const inspector = createInspector(store, { basePath: '/inspector' });
  // onRequest runs before Fastify reads the body; hijack() hands the raw request to the inspector.
  app.addHook('onRequest', (request, reply, done) => {
    if (!/^\/inspector(\/|\?|$)/.test(request.url)) return done();
    reply.hijack();
    inspector(request.raw, reply.raw);
  });
  app.get('/health', async () => ({ ok: true }));
  return app;
}
// #endregion

// #region options
import type { DurableSubscription } from '../../src/index.js';

export function inspectorWithWrites(store: EventStore, mailer: DurableSubscription) {
  return createInspector(store, {
    allowWrites: true, // the dead-letter Replay and Discard buttons (403 without)
    token: process.env.INSPECTOR_TOKEN, // when set: every request needs it, writes in the POST itself
    subscriptions: [mailer], // handles running in this process: their dead letters can be replayed here
  });
}
// #endregion

/** Both mountings answer the overview; a path outside the mount is the server's own. */
export async function main(store: EventStore) {
  const server = serveInspector(store);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const plain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = fastifyWithInspector(store);
  const fastify = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const status = async (url: string) => (await fetch(url)).status;
    return {
      plain: [await status(`${plain}/inspector/`), await status(`${plain}/inspector/api/overview`), await status(`${plain}/elsewhere`)],
      fastify: [await status(`${fastify}/inspector/`), await status(`${fastify}/inspector/api/overview`), await status(`${fastify}/health`)],
    };
  } finally {
    server.closeAllConnections();
    server.close();
    await app.close();
  }
}
