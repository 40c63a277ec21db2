import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore, isEventualiError } from '../../src/index.js';
import { createInspector } from '../../src/inspector.js';
import { serve } from './serve.js';

let store: EventStore;
beforeAll(async () => {
  store = await EventStore.create('sqlite::memory:');
});
afterAll(async () => store.close());

describe('mounting the inspector', () => {
  it('plain node:http with basePath: its paths are served, others go to next()', async () => {
    const served = await serve(createInspector(store, { basePath: '/ops/inspector' }));
    try {
      const page = await (await fetch(`${served.origin}/ops/inspector/sagas`)).text();
      expect(page).toContain('href="/ops/inspector/streams"');
      expect(page).toContain('src="/ops/inspector/assets/inspector.js"');
      expect(await (await fetch(`${served.origin}/ops/other`)).text()).toBe('outside');
      expect(await (await fetch(`${served.origin}/ops/inspectorx`)).text()).toBe('outside');
    } finally {
      await served.close();
    }
  });

  it("at a prefix the framework strips (Express's req.baseUrl, middie's req.originalUrl), without basePath", async () => {
    const inspector = createInspector(store);
    const server = createServer((req: IncomingMessage & { baseUrl?: string; originalUrl?: string }, res) => {
      const prefix = req.url!.startsWith('/express') ? '/express/inspector' : '/middie/inspector';
      const original = req.url!;
      req.url = original.slice(prefix.length) || '/';
      if (prefix.startsWith('/express')) req.baseUrl = prefix;
      else req.originalUrl = original;
      inspector(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const prefix of ['/express/inspector', '/middie/inspector']) {
        const page = await (await fetch(`${origin}${prefix}/streams?type=Order`)).text();
        expect(page).toContain(`action="${prefix}/streams"`);
        expect(page).toContain(`<a href="${prefix}/sagas">`);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('in Fastify through an onRequest hook (before body parsing), POSTs included', async () => {
    const app = Fastify();
    const inspector = createInspector(store, { basePath: '/inspector', allowWrites: true });
    app.addHook('onRequest', (request, reply, done) => {
      if (!/^\/inspector(\/|\?|$)/.test(request.url)) return done();
      reply.hijack();
      inspector(request.raw, reply.raw);
    });
    app.get('/health', async () => ({ ok: true }));
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await (await fetch(`${origin}/inspector/`)).text()).toContain('href="/inspector/streams"');
      expect(await (await fetch(`${origin}/health`)).json()).toEqual({ ok: true });
      const discard = await fetch(`${origin}/inspector/api/dead-letters/none/discard`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'x=1',
      });
      expect(discard.status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('refuses bad options with INVALID_ARGUMENT', () => {
    for (const options of [{ token: 'short' }, { token: 'has space in it' }, { basePath: 'no-slash' }, { allowWrites: 'yes' }]) {
      let caught: unknown;
      try {
        createInspector(store, options as never);
      } catch (error) {
        caught = error;
      }
      expect(isEventualiError(caught, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });
});
