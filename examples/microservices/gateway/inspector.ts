import type { FastifyInstance } from 'fastify';
import { EventStore } from '../shared/eventuali.js';
import { createInspector } from '../shared/eventuali-inspector.js';

/**
 * Serves the eventuali inspector at `/inspector`, read-only, over the services' shared store. It
 * runs before Fastify parses the body (`onRequest`), takes the raw request and response, and
 * leaves every other path to the gateway's routes. Without `INSPECTOR_TOKEN`, only this machine may
 * open it: the gateway listens on every interface.
 */
export async function mountInspector(app: FastifyInstance, storeUrl: string, token: string | undefined): Promise<() => Promise<void>> {
  const store = await EventStore.create(storeUrl, { unknownEvents: 'raw' });
  const inspector = createInspector(store, { basePath: '/inspector', ...(token ? { token } : {}) });
  app.addHook('onRequest', (request, reply, done) => {
    if (!/^\/inspector(\/|\?|$)/.test(request.url)) return done();
    if (!token && !isLoopback(request.socket.remoteAddress)) {
      return void reply.status(403).send({ error: 'forbidden', message: 'Set INSPECTOR_TOKEN to open the inspector from another machine.' });
    }
    reply.hijack();
    inspector(request.raw, reply.raw);
  });
  return () => store.close();
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}
