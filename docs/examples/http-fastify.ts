// docs/http.md: the same routes on Fastify. test/docs/snippets.test.ts runs main().
// #region fastify
import Fastify, { type FastifyInstance } from 'fastify';
import type { EventStore } from '../../src/index.js';
import { eventToJson, parseIfMatch, toEtag, toHttpError } from '../../src/http.js';
import { Task, loadTask } from './http.js';

export function createTaskApp(store: EventStore): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler((error, request, reply) => {
    // Fastify's own 4xx (malformed JSON, a body too large) keep their status; the rest are eventuali's or a 500.
    const own = (error as { statusCode?: number }).statusCode;
    if (own !== undefined && own < 500) return reply.status(own).send({ title: (error as Error).message, status: own });
    const { status, headers, body } = toHttpError(error, { ifMatch: request.headers['if-match'] !== undefined, instance: request.url });
    if (status >= 500) request.log.error(error);
    return reply.status(status).headers(headers).send(body);
  });

  app.get<{ Params: { id: string } }>('/tasks/:id', async (request, reply) => {
    const task = await loadTask(store, request.params.id, undefined);
    return reply.header('etag', toEtag(task.version)).send({ id: task.id, title: task.title });
  });

  app.put<{ Params: { id: string }; Body: { title: string } }>('/tasks/:id/title', async (request, reply) => {
    const expectedVersion = parseIfMatch(request.headers['if-match']);
    if (expectedVersion === undefined) return reply.status(428).send({ title: 'Precondition Required', status: 428 });
    const task = await loadTask(store, request.params.id, expectedVersion);
    task.rename(request.body.title);
    await store.save(task);
    return reply.header('etag', toEtag(task.version)).send({ id: task.id, title: task.title });
  });

  app.get<{ Params: { id: string } }>('/tasks/:id/events', async (request) => (await store.loadEvents(request.params.id)).map(eventToJson));
  return app;
}
// #endregion

/** The answers docs/http.md describes, through Fastify's inject (no socket). */
export async function main(store: EventStore) {
  const task = new Task('t-1');
  task.add('Write the docs');
  await store.save(task);
  const app = createTaskApp(store);
  try {
    const read = await app.inject({ method: 'GET', url: '/tasks/t-1' });
    const put = (ifMatch: string | undefined, title = 'Ship it') =>
      app.inject({ method: 'PUT', url: '/tasks/t-1/title', payload: { title }, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });
    const renamed = await put(read.headers.etag as string);
    const stale = await put(read.headers.etag as string);
    const required = await put(undefined);
    const invalid = await put(renamed.headers.etag as string, '');
    const missing = await app.inject({ method: 'GET', url: '/tasks/none' });
    const events = await app.inject({ method: 'GET', url: '/tasks/t-1/events' });
    return {
      read: [read.statusCode, read.headers.etag],
      renamed: [renamed.statusCode, renamed.headers.etag],
      stale: [stale.statusCode, stale.headers['content-type'], stale.json<{ code: string }>().code],
      required: required.statusCode,
      invalid: [invalid.statusCode, invalid.json<{ code: string }>().code],
      missing: missing.statusCode,
      events: events.json<{ aggregateVersion: number }[]>().map((e) => e.aggregateVersion),
    };
  } finally {
    await app.close();
  }
}
